"""The PyTorch side of `cargo run --release -p blitz --example train_speed`: the same LeNet, MSE loss and SGD step.

Prints one JSON object per line: {"mode": "train"|"infer", "batch": N, "samples_per_s": X}.
Usage: python train_speed.py SECONDS BATCH...
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

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


def per_second(seconds, batch, step):
    for _ in range(3):
        step()
    count, start = 0, time.perf_counter()
    while True:
        step()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds and count >= 5:
            return count * batch / elapsed


def main():
    seconds = float(sys.argv[1])
    for batch in map(int, sys.argv[2:]):
        torch.manual_seed(0)
        net = Net()
        x = torch.randn(batch, 1, 32, 32)
        target = torch.randn(batch, 10)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
        criterion = nn.MSELoss()

        def train():
            optimizer.zero_grad()
            loss = criterion(net(x), target)
            loss.backward()
            optimizer.step()

        def infer():
            with torch.no_grad():
                net(x)

        for mode, step in (("train", train), ("infer", infer)):
            print(json.dumps({"mode": mode, "batch": batch, "samples_per_s": per_second(seconds, batch, step)}),
                  flush=True)


if __name__ == "__main__":
    main()
