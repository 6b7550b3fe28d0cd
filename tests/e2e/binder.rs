//! The course on JupyterHub / Binder: `binder/` follows repo2docker's conventions (`apt.txt`, `requirements.txt`,
//! an executable `postBuild`), and `postBuild`, run from the repository in a fresh `HOME` the way repo2docker runs
//! it, installs a kernel that the user's own Jupyter finds and that executes a lesson with no Rust on Jupyter's
//! `PATH`.
//!
//! The fresh `HOME` shares only what takes minutes to rebuild and that postBuild finds in place rather than
//! makes: Rust itself (`CARGO_HOME`, `RUSTUP_HOME`, which Binder's postBuild installs with rustup), the patched
//! kernel's binaries (`~/.cache/blitz/evcxr-fork/builds`, 7 minutes on two cores) and evcxr's compiled crates
//! (`~/.cache/evcxr`). Everything else — the course's Python environment, the kernelspecs, the kernel's build
//! folders, its cell and type caches, JupyterLab's settings — postBuild makes from nothing.

use blitz_tests::{describe, kernel, run_command, RUNNER_LIMIT};
use std::path::{Path, PathBuf};
use std::process::Command;

fn binder_dir() -> PathBuf {
    xtask::layout::repo_root().join("binder")
}

/// The lines of a repo2docker list file that name something (no blank lines, no comments).
fn entries(file: &str) -> Vec<String> {
    let path = binder_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn apt_txt_names_real_debian_packages() {
    let packages = entries("apt.txt");
    assert!(
        packages.iter().any(|p| p == "build-essential"),
        "apt.txt must bring a C linker (build-essential): rustc links every cell with it"
    );
    if Command::new("apt-cache").arg("--version").output().is_err() {
        eprintln!(
            "apt-cache is not on this machine: package names not checked against Debian's index"
        );
        return;
    }
    for package in &packages {
        assert!(
            !package.contains(char::is_whitespace),
            "apt.txt: one package per line, found {package:?}"
        );
        let shown = Command::new("apt-cache")
            .args(["show", package])
            .output()
            .expect("apt-cache runs");
        assert!(
            shown.status.success() && !shown.stdout.is_empty(),
            "apt.txt names {package}, which is not a Debian package: {}",
            String::from_utf8_lossy(&shown.stderr)
        );
    }
}

#[test]
fn requirements_txt_resolves_on_pypi() {
    let requirements = entries("requirements.txt");
    assert!(
        requirements.iter().any(|r| r.starts_with("jupyterlab")),
        "requirements.txt must bring JupyterLab for the Jupyter Binder serves"
    );
    let _kernel = kernel(); // the course's Python environment, whose pip resolves the file
    let output = Command::new(xtask::layout::venv_python())
        .args(["-m", "pip", "install", "--dry-run", "--ignore-installed"])
        .args(["--disable-pip-version-check", "--quiet", "-r"])
        .arg(binder_dir().join("requirements.txt"))
        .output()
        .expect("the course's pip runs");
    assert!(
        output.status.success(),
        "pip cannot resolve binder/requirements.txt:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A temporary home folder, removed when dropped unless `BLITZ_KEEP_BINDER_HOME` is set (to look inside).
struct FreshHome(PathBuf);

impl Drop for FreshHome {
    fn drop(&mut self) {
        if std::env::var_os("BLITZ_KEEP_BINDER_HOME").is_none() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn symlink(target: &Path, link: &Path) {
    std::fs::create_dir_all(target).expect("the shared cache folder can be made");
    std::fs::create_dir_all(link.parent().unwrap()).expect("the link's folder can be made");
    std::os::unix::fs::symlink(target, link)
        .unwrap_or_else(|e| panic!("cannot link {}: {e}", link.display()));
}

/// `HOME`'s value for the real user, and where cargo and rustup keep Rust there.
fn real_rust_homes() -> (PathBuf, PathBuf) {
    let home = xtask::layout::home_dir();
    let var =
        |name: &str, default: PathBuf| std::env::var_os(name).map(PathBuf::from).unwrap_or(default);
    (
        var("CARGO_HOME", home.join(".cargo")),
        var("RUSTUP_HOME", home.join(".rustup")),
    )
}

/// `PATH` without any folder that holds `cargo` or `rustc`: Jupyter on a hub is started without Rust on its path.
fn path_without_rust() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| !dir.join("cargo").exists() && !dir.join("rustc").exists())
        .collect();
    std::env::join_paths(kept).expect("PATH's folders join again")
}

#[test]
fn postbuild_in_a_fresh_home_installs_a_kernel_that_runs_a_lesson() {
    // Prepared in the real caches first, so that the kernel's binary exists to be shared.
    let _kernel = kernel();
    let post_build = binder_dir().join("postBuild");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&post_build).unwrap().permissions(),
    );
    assert!(
        mode & 0o111 != 0,
        "binder/postBuild must be executable: repo2docker runs it as a program"
    );

    let home =
        FreshHome(std::env::temp_dir().join(format!("blitz-binder-home-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&home.0);
    let real_cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| xtask::layout::home_dir().join(".cache"));
    symlink(
        &xtask::layout::fork_dir().join("builds"),
        &home.0.join(".cache/blitz/evcxr-fork/builds"),
    );
    symlink(&real_cache.join("evcxr"), &home.0.join(".cache/evcxr"));
    symlink(&real_cache.join("pip"), &home.0.join(".cache/pip"));
    let server_prefix = home.0.join("srv/conda/envs/notebook");
    let (cargo_home, rustup_home) = real_rust_homes();
    let repo = xtask::layout::repo_root();
    let git_status = || {
        Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=all"])
            .current_dir(&repo)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    let before = git_status();

    // As repo2docker runs it: from the repository's root, as the notebook user, with its own HOME.
    let mut command = Command::new(&post_build);
    command
        .current_dir(&repo)
        .env("HOME", &home.0)
        .env("CARGO_HOME", &cargo_home)
        .env("RUSTUP_HOME", &rustup_home)
        .env("NB_PYTHON_PREFIX", &server_prefix)
        // The suite's cargo holds its own target folder while tests run; postBuild's `cargo xtask` builds where
        // a learner's does, in the clone's target/.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("JUPYTER_PATH")
        .env_remove("XDG_DATA_HOME");
    let built = run_command(command, RUNNER_LIMIT);
    assert!(
        built.status.success(),
        "postBuild failed:\n{}",
        describe(&built)
    );
    assert_eq!(
        git_status(),
        before,
        "postBuild changed files in the repository"
    );

    // The user's Jupyter finds the kernel in the user's own folder.
    let user_spec = home
        .0
        .join(".local/share/jupyter/kernels/blitz/kernel.json");
    assert!(
        user_spec.exists(),
        "postBuild did not register the kernel for the user: {}",
        user_spec.display()
    );
    let venv_python = home.0.join(".cache/blitz/venv/bin/python");
    let fresh = |command: &mut Command| {
        command
            .env("HOME", &home.0)
            .env("CARGO_HOME", &cargo_home)
            .env("RUSTUP_HOME", &rustup_home)
            .env("PATH", path_without_rust())
            // A Jupyter running in a virtual environment looks there first (jupyter_core 5); a hub's Jupyter has
            // no blitz kernel in its own environment, so the user's folder is where it must find it.
            .env("JUPYTER_PREFER_ENV_PATH", "0")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("XDG_DATA_HOME")
            .env_remove("JUPYTER_PATH")
            .env_remove("JUPYTER_DATA_DIR");
    };
    let mut list = Command::new(&venv_python);
    list.args(["-m", "jupyter", "kernelspec", "list", "--json"]);
    fresh(&mut list);
    let listed = list.output().expect("jupyter kernelspec list runs");
    let specs: serde_json::Value = serde_json::from_slice(&listed.stdout)
        .unwrap_or_else(|e| panic!("`jupyter kernelspec list --json` printed no JSON ({e})"));
    let found = specs["kernelspecs"]["blitz"]["resource_dir"]
        .as_str()
        .unwrap_or_else(|| panic!("Jupyter does not list the kernel blitz: {specs}"));
    assert_eq!(
        Path::new(found),
        user_spec.parent().unwrap(),
        "Jupyter starts another kernelspec than the user's"
    );
    let settings = server_prefix.join("share/jupyter/lab/settings/overrides.json");
    let settings = std::fs::read_to_string(&settings).unwrap_or_else(|e| {
        panic!(
            "postBuild gave the served JupyterLab no settings ({}): {e}",
            settings.display()
        )
    });
    assert!(settings.contains("\"fetchNews\": \"false\""), "{settings}");

    // A lesson executes with that kernel, by a Jupyter with no Rust on its PATH.
    let lesson = repo.join("notebooks/ja/01-neural-networks.ipynb");
    let mut run = Command::new(&venv_python);
    run.arg(xtask::layout::notebook_runner())
        .arg(&lesson)
        .env("PYTHONUNBUFFERED", "1");
    fresh(&mut run);
    let ran = run_command(run, RUNNER_LIMIT);
    assert!(
        ran.status.success(),
        "the lesson failed with postBuild's kernel:\n{}",
        describe(&ran)
    );
    let kept = home.0.join(".cache/blitz/kernel-builds");
    assert!(
        std::fs::read_dir(&kept)
            .map(|d| d.count() > 0)
            .unwrap_or(false),
        "the kernel did not build in the fresh home's folders ({})",
        kept.display()
    );
}
