use blitz::prelude::*;

struct Net3x3 {
    conv1: Conv2d,
    conv2: Conv2d,
    fc1: Linear,
    fc2: Linear,
    fc3: Linear,
}

impl Net3x3 {
    fn new() -> Result<Net3x3> {
        todo!()
    }
}

impl Module for Net3x3 {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        todo!()
    }

    fn children(&self) -> Vec<(String, &dyn Module)> {
        vec![
            ("conv1".to_string(), &self.conv1 as &dyn Module),
            ("conv2".to_string(), &self.conv2),
            ("fc1".to_string(), &self.fc1),
            ("fc2".to_string(), &self.fc2),
            ("fc3".to_string(), &self.fc3),
        ]
    }
}
