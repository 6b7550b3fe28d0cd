"""The PyTorch side of `cargo run --release -p blitz --example digits_speed`: the same LeNet trained on the same
4,000 digits (resized to 32x32 and normalised by blitz, read from a safetensors file) with the same recipe: batches
of the given size (32, the lesson's, unless told) in a new shuffled order every epoch, each digit moved by up to 2
pixels (edges repeated, as blitz's DataLoader does), cross-entropy, Adam at 0.003 with a cosine schedule over the
epochs, 2 threads.

Usage: python digits_speed.py DATA.safetensors CONFIG_JSON SAVE.safetensors
CONFIG_JSON: {"epochs": E, "batch": B, "lr": LR, "max_shift": S, "seed": N}
Prints one JSON object per epoch ({"epoch", "loss", "accuracy", "train_s"}) and a last one with "done": true.
Training time excludes measuring the held-out accuracy after each epoch, as on blitz's side.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

torch.set_num_threads(2)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def shifted(images, max_shift, generator):
    """Each image moved by up to max_shift pixels in x and y, the edge pixels repeated."""
    b, _, h, w = images.shape
    s = max_shift
    padded = F.pad(images, (s, s, s, s), mode="replicate")
    dx = torch.randint(-s, s + 1, (b,), generator=generator)
    dy = torch.randint(-s, s + 1, (b,), generator=generator)
    rows = torch.arange(h)[None, :] - dy[:, None] + s
    cols = torch.arange(w)[None, :] - dx[:, None] + s
    out = padded[torch.arange(b)[:, None, None], 0, rows[:, :, None], cols[:, None, :]]
    return out.unsqueeze(1)


def accuracy(net, images, labels):
    with torch.no_grad():
        guesses = torch.cat([net(images[i:i + 500]).argmax(1) for i in range(0, len(labels), 500)])
    return (guesses == labels).float().mean().item(), guesses


def main():
    data = load_file(sys.argv[1])
    cfg = json.loads(sys.argv[2])
    save = sys.argv[3]
    torch.manual_seed(cfg["seed"])
    x, y = data["train_images"], data["train_labels"].long()
    tx, ty = data["test_images"], data["test_labels"].long()
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"])
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg["epochs"])
    generator = torch.Generator().manual_seed(cfg["seed"])
    train_s = 0.0
    for epoch in range(1, cfg["epochs"] + 1):
        start = time.perf_counter()
        order = torch.randperm(len(y), generator=generator)
        loss_sum = 0.0
        for i in range(0, len(y), cfg["batch"]):
            idx = order[i:i + cfg["batch"]]
            images = shifted(x[idx], cfg["max_shift"], generator) if cfg["max_shift"] else x[idx]
            opt.zero_grad()
            loss = F.cross_entropy(net(images), y[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        schedule.step()
        train_s += time.perf_counter() - start
        acc, _ = accuracy(net, tx, ty)
        print(json.dumps({"epoch": epoch, "loss": loss_sum / len(y), "accuracy": acc, "train_s": train_s}),
              flush=True)
    _, guesses = accuracy(net, tx, ty)
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, save)
    print(json.dumps({"done": True, "samples": len(y) * cfg["epochs"], "train_s": train_s,
                      "guesses": guesses.tolist()}), flush=True)


if __name__ == "__main__":
    main()
