//! The English text of every message blitz shows a person: the source the translations are made from.
//!
//! Each entry is `(key, template)`. The key is stable (programs and the translation files use it); `{name}` in a
//! template is filled in when the message is shown, and a translation must keep every placeholder. After editing
//! this file, run `cargo xtask translations`: the changed messages become fuzzy in `translations/*.po`.

/// `(key, English template)` for every message, in the order translators see them.
pub(crate) const ENGLISH: &[(&str, &str)] = &[
    (
        "needs-batch",
        "{layer} expects a mini-batch of shape [N, {channels}, H, W], but got {got} (no batch dimension).\n\
         Networks only take mini-batches. To pass one sample, add a batch dimension of size 1:\n\
         \x20   let input = input.unsqueeze(0)?;   // {got} -> {fixed}",
    ),
    (
        "shape-mismatch",
        "{layer}: expected an input of shape {expected}, but got {got}.",
    ),
    (
        "hint-linear-features",
        "Each sample arrives with {arrived} features, but the layer was made for {made_for}: make the layer \
         `Linear::new({arrived}, ...)`, or change what comes before it.",
    ),
    (
        "hint-flatten",
        "Flatten each sample first: `x.flatten(1)?`.",
    ),
    (
        "hint-fc1",
        "The 16 feature maps reaching fc1 are {side}x{side} here, so each sample flattens to 16*{side}*{side} = \
         {flat} values, but fc1 was made for {made_for}. With {k}x{k} kernels and 32x32 images the side is \
         ((32-{k}+1)/2-{k}+1)/2 = {expected_side}: make fc1 `Linear::new({flat}, 120)`, or use `Net::with_kernel_size({k})`.",
    ),
    (
        "hint-image-size",
        "LeNet reads 32x32 images, but these are {height}x{width}. Resize them first: `mnist.train.resize(32)` \
         turns MNIST's 28x28 digits into 32x32 ones.",
    ),
    (
        "hint-same-shape",
        "Both sides must have the same shape; reshape one with `.reshape(...)`.",
    ),
    (
        "hint-from-vec",
        "Give as many values as the product of the shape.",
    ),
    (
        "hint-set-data",
        "The new values must have the parameter's shape.",
    ),
    (
        "target-shape",
        "{loss}: the target has shape {target} but the output has shape {output}. A loss compares them value by \
         value, so they must have the same shape.\n\
         Reshape the target to the output's shape: `let target = target.view(&{output})?;`",
    ),
    (
        "label-count",
        "{loss}: the scores have {rows} rows, one per image, but {count} labels were given. Give one class index per \
         image: the labels of the same batch as the images.",
    ),
    (
        "backward-needs-gradient",
        "backward() without a gradient only works on a single number (a loss), but this tensor has shape {shape}.\n\
         Either compute a loss first (`let loss = MSELoss::new().forward(&out, &target)?; loss.backward()?;`),\n\
         or pass the gradient of the output yourself: `out.backward_with(&Tensor::randn(&{shape})?)?;`.",
    ),
    (
        "no-graph",
        "this tensor has no grad_fn: nothing that requires a gradient was used to compute it, so backward() has \
         nothing to do. Gradients flow back to parameters (tensors made with `.requires_grad_(true)`).",
    ),
    (
        "graph-freed",
        "the graph of {node} was already back-propagated once and its saved values are freed, so a second \
         backward cannot run through it (PyTorch refuses this too).\n\
         Run the forward pass again (each forward builds a new graph), or call `backward_retain_graph()` the \
         first time to keep the graph.",
    ),
    (
        "gradient-shape",
        "the gradient passed to backward_with has shape {got}, but the output has shape {expected}: they must \
         match. Make it with `Tensor::randn(&{expected})?`.",
    ),
    (
        "missing-tensor",
        "{file}: no tensor named `{key}`. The file has: {available}",
    ),
    (
        "wrong-tensor-shape",
        "{file}: `{key}` has shape {got}, but the network needs {expected}. Was it saved from a different network \
         (for example 3x3 instead of 5x5 kernels)?",
    ),
    (
        "non-finite-parameter",
        "this step would leave NaN or infinite values in {param}, so it was refused and no parameter changed. \
         The update was too large: the learning rate {lr} is probably too high. Try a smaller one, such as {smaller}.",
    ),
    (
        "non-finite-loss",
        "{loss} gave {value}: the loss is no longer a finite number. Usually the learning rate is too high and the \
         weights grew out of range over the last steps: re-create the network and train with a smaller learning \
         rate (ten times smaller, say). Inputs or targets that contain NaN do this too.",
    ),
    (
        "accumulated-gradients",
        "warning: this step uses gradients summed over {count} backward passes ({param}, among others), because \
         backward adds into .grad. If you did not mean to sum them, call `optimizer.zero_grad()` before each \
         backward.",
    ),
    (
        "grad-none-not-required",
        "{name} does not require a gradient, so backward never fills its .grad. Parameters do; for a tensor of \
         your own, make it with `.requires_grad_(true)`.",
    ),
    (
        "grad-none-not-required-this",
        "this tensor does not require a gradient, so backward never fills its .grad. Parameters do; for a tensor \
         of your own, make it with `.requires_grad_(true)`.",
    ),
    (
        "grad-none-not-leaf",
        "{name} is computed by an operation ({grad_fn}), not a leaf: backward passes through it without keeping \
         a gradient there. Only leaves that require a gradient, such as parameters, keep .grad.",
    ),
    (
        "grad-none-not-leaf-this",
        "this tensor is computed by an operation ({grad_fn}), not a leaf: backward passes through it without \
         keeping a gradient there. Only leaves that require a gradient, such as parameters, keep .grad.",
    ),
    (
        "grad-none-no-backward",
        "{name} has no gradient yet: backward() on a loss fills it, and zero_grad() empties it again.",
    ),
    (
        "grad-none-no-backward-this",
        "this tensor has no gradient yet: backward() on a loss fills it, and zero_grad() empties it again.",
    ),
    (
        "unknown-language",
        "blitz has no messages in `{given}`. Choose one of {supported}, for example `set_language(\"ja\")`.",
    ),
    (
        "zero-argument",
        "{call}: `{argument}` is 0, but it must be at least 1. For example: `{example}`",
    ),
    (
        "lenet-kernel-size",
        "Net::with_kernel_size({k}): LeNet's kernels can be at most 10x10. Each convolution makes the 32x32 image \
         k-1 pixels smaller and each pooling halves it, so with {k}x{k} kernels nothing is left for fc1. Use 5 \
         (`Net::new()`) or 3 (`Net::with_kernel_size(3)`).",
    ),
    (
        "empty-tensor",
        "{call}: the shape {shape} has a dimension of size 0, so the tensor would hold no values. Make every \
         dimension at least 1.",
    ),
    (
        "tensor-too-large",
        "{call}: a tensor of shape {shape} would not fit in this computer's memory. Check the sizes: one of them \
         is far too large.",
    ),
    (
        "pool-window-too-large",
        "{layer}: the {k}x{k} pooling window (`kernel_size`) is larger than the {h}x{w} images of the input {got}. \
         Make `kernel_size` at most {max}, or pool a larger input.",
    ),
    (
        "conv-kernel-too-large",
        "{layer}: the {kh}x{kw} kernel is larger than the {h}x{w} images of the input {got}, even with `padding` \
         {padding} ({ph}x{pw} once padded). Use a kernel of at most {ph}x{pw}, more `padding`, or a larger input.",
    ),
    (
        "weight-shape",
        "{layer}: `weight` has shape {got}, but it must have the shape {expected}. For example: `{example}`",
    ),
    (
        "bias-shape",
        "{layer}: `bias` has shape {got}, but the weight gives {outputs} outputs, so the bias must have the shape \
         [{outputs}], one value per output. For example: `Tensor::zeros(&[{outputs}])?`",
    ),
    (
        "dim-out-of-range",
        "{call}: `{argument}` is {dim}, but for a tensor of shape {shape} it must be between 0 and {max} \
         (dimensions are counted from 0).",
    ),
    (
        "view-shape",
        "{call}: a tensor of shape {input} holds {count} values, and the shape {requested} cannot hold them. Give \
         sizes of at least 1 whose product is {count}; one of them may be -1 to have it computed, for example \
         `.{call}(&{example})?`.",
    ),
    (
        "class-out-of-range",
        "{loss}: `targets[{position}]` is {index}, but the scores have {classes} classes, numbered 0 to {max}. \
         Check the targets, or make the last layer give at least {needed} scores.",
    ),
    (
        "data-truncated",
        "{file} is cut short: it has {found} bytes, but its header needs {expected}. The download or copy was \
         interrupted: fetch the file again.",
    ),
    (
        "data-too-long",
        "{file} has {found} bytes, more than the {expected} its header announces: it is not an MNIST IDX file, or \
         it was damaged.",
    ),
    (
        "data-not-images",
        "{file} is not an MNIST IDX images file: it should start with the magic number 0x00000803, but starts \
         with {found}. (0x00000801 is a labels file: were images and labels swapped?)",
    ),
    (
        "data-not-labels",
        "{file} is not an MNIST IDX labels file: it should start with the magic number 0x00000801, but starts \
         with {found}. (0x00000803 is an images file: were images and labels swapped?)",
    ),
    (
        "data-count-mismatch",
        "{file} holds {images} images but {labels_file} holds {labels} labels: each image needs its label. \
         The two files do not belong together (or one is damaged).",
    ),
    (
        "data-label-out-of-range",
        "{file}: label number {index} (counted from 0) is {label}, but digit labels go from 0 to 9. Is this an MNIST \
         labels file?",
    ),
    (
        "data-bad-gzip",
        "{file} starts like a gzip file but cannot be decompressed ({reason}). Fetch the file again.",
    ),
    (
        "data-missing-file",
        "{file} has no file {name} (nor {name}.gz). A folder of digits holds MNIST's four files: \
         `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and \
         `t10k-labels-idx1-ubyte`.",
    ),
    (
        "digits-not-found",
        "blitz could not find the digits that come with the course (the folder `data/digits` of your blitz clone). \
         It looked in:\n{looked_in}\n\
         Run from inside your clone, or set `BLITZ_DATA` to its `data/digits` folder.",
    ),
    (
        "exercise-passed",
        "✔ {exercise}: passed. Well done!",
    ),
    (
        "exercise-todo",
        "{exercise}: not done yet. Your code still reaches `todo!()`: replace it with your answer.",
    ),
    (
        "exercise-panicked",
        "{exercise}: your code panicked: {message}",
    ),
    (
        "exercise-error",
        "{exercise}: your code returned an error:\n{error}",
    ),
    (
        "exercise-wrong",
        "{exercise}: not yet. {what}: expected {expected}, found {found}.",
    ),
    (
        "exercise-hint",
        "Hint: {hint}",
    ),
    (
        "check-flat-features",
        "The number of values per sample for a tensor of shape {shape}",
    ),
    (
        "check-parameter-shapes",
        "The parameters' names and shapes, in order",
    ),
    (
        "check-parameter-count",
        "The number of parameter values",
    ),
    (
        "check-requires-grad",
        "Whether `{name}` requires a gradient",
    ),
    (
        "check-repr",
        "How the layer prints",
    ),
    (
        "check-forward",
        "The output for a batch of two samples (x·weightᵀ + bias)",
    ),
    (
        "check-forward-like",
        "The output, against {reference} with the same weights",
    ),
    (
        "check-gradient-reaches",
        "The gradient of `{name}` after backward()",
    ),
    (
        "check-output-shape",
        "The output shape for an input of shape {shape}",
    ),
    (
        "check-layer-outputs",
        "The output shape of each convolution and fully connected layer for a 224x224 image",
    ),
    (
        "check-loss-value",
        "The loss's value (the expected one is {reference}'s)",
    ),
    (
        "check-loss-gradient",
        "The gradient that backward() brings to the loss's input (the expected one is autograd's through {reference})",
    ),
    (
        "check-predicted-grad",
        "w.grad after two backward passes without zero_grad",
    ),
    (
        "check-sgd-parameter",
        "`{name}` after one step (the expected one is `SGD::new(params, {lr})`'s)",
    ),
    (
        "check-losses-len",
        "The number of losses returned (one per step)",
    ),
    (
        "check-loss-decrease",
        "The loss on the batch after {steps} steps (it must end at least 10% below its value before training)",
    ),
    (
        "hint-ex-num_flat_features",
        "The first dimension is the batch: multiply all the others. `x.shape()` gives the dimensions as a \
         `Vec<usize>`; `.iter().skip(1).product()` multiplies all but the first.",
    ),
    (
        "hint-ex-own_module",
        "Make `weight` with `Tensor::randn(&[out_features, in_features])?` and `bias` with \
         `Tensor::zeros(&[out_features])?`, each followed by `.requires_grad_(true)`. `forward` is \
         `F::linear(x, &self.weight, &self.bias)`, `own_parameters` lists both under their names, and \
         `extra_repr` returns `in_features=4, out_features=3` for a layer made with `Dense::new(4, 3)`.",
    ),
    (
        "hint-ex-lenet_3x3",
        "Each 3x3 convolution makes the side 2 pixels shorter: 32 → 30, pooled 15, then 13, pooled 6. So fc1 takes \
         16*6*6 = 576 values. `forward` is the lesson's: convolution, ReLU and pooling twice, flatten, then the \
         three linear layers with a ReLU after the first two.",
    ),
    (
        "hint-ex-mse",
        "Subtract the target from the output, multiply the difference by itself and take the mean: \
         `let d = output.sub(target)?; d.mul(&d)?.mean()`. Every step records the graph, so backward() works \
         by itself.",
    ),
    (
        "hint-ex-accumulated_grad",
        "The derivative of w*w*x with respect to w is 2*w*x, so one backward pass gives [8, 20, 36]. Without \
         zero_grad, the second pass adds the same again.",
    ),
    (
        "hint-ex-sgd_step",
        "For each parameter whose `grad()` is not None: compute `p.data().sub(&grad.scale(lr)?)?` and write it \
         back with `p.set_data(...)`. Skip a parameter without a gradient, as `SGD` does.",
    ),
    (
        "hint-ex-training_loop",
        "Make an optimizer once, before the loop: `SGD::new(net.parameters(), 0.01)`. Then, in each step: \
         `zero_grad()`, forward, the loss with `MSELoss`, `backward()`, `step()`, and push `loss.item()?` into \
         the list you return.",
    ),
    (
        "hint-ex-alexnet",
        "Follow `Net`: a struct with fields conv1..conv5 and fc1..fc3, a `new(num_classes)` that makes them as \
         the `Sequential` above does, `children` listing them by name, and a `forward` with ReLU after every \
         layer but the last and `max_pool2d(2)` after conv1, conv2 and conv5. fc3 gets `num_classes` outputs.",
    ),
    (
        "hint-ex-cross_entropy",
        "Take `F::log_softmax(scores)?`, then keep each row's value at its label: multiply by a one-hot tensor \
         (1.0 at the label, 0.0 elsewhere, made with `Tensor::from_vec`), sum, and scale by -1/N for a batch \
         of N rows.",
    ),
    (
        "check-a-gradient",
        "a gradient",
    ),
    // The kernel's own messages (kernel/evcxr-patch/learner_messages.rs): the patched evcxr shows them, in the
    // language blitz reports for the notebook.
    (
        "kernel-cell-panicked",
        "The cell panicked (the message is above). Variables from earlier cells are kept; the ones this cell was \
         defining are not.",
    ),
    (
        "kernel-cell-panicked-at-line",
        "The cell panicked at its line {line} (the message is above; `src/lib.rs` there is the code the kernel made \
         from the cell). Variables from earlier cells are kept; the ones this cell was defining are not.",
    ),
    (
        "kernel-process-died",
        "The process that runs the notebook's code died in this cell (an abort, a stack overflow or memory \
         exhausted). The kernel started a new one, so every variable is gone: run the cells that define them again.",
    ),
    (
        "kernel-library-rebuilt",
        "{library} was rebuilt after this kernel loaded it (its code or its settings changed), and a running kernel \
         keeps the {name} it loaded first: this cell would be built against the new {library} but run with the old \
         one. Restart the kernel (Kernel > Restart Kernel) and run the notebook again to use the new {library}.",
    ),
];
