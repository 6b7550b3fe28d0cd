use blitz::prelude::*;

struct AlexNet {
    conv1: Conv2d,
    conv2: Conv2d,
    conv3: Conv2d,
    conv4: Conv2d,
    conv5: Conv2d,
    fc1: Linear,
    fc2: Linear,
    fc3: Linear,
}

impl AlexNet {
    fn new(num_classes: usize) -> Result<AlexNet> {
        todo!()
    }
}

impl Module for AlexNet {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        todo!()
    }

    fn children(&self) -> Vec<(String, &dyn Module)> {
        todo!()
    }
}
