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
        Ok(Net3x3 {
            conv1: Conv2d::new(1, 6, 3)?,
            conv2: Conv2d::new(6, 16, 3)?,
            fc1: Linear::new(16 * 6 * 6, 120)?,
            fc2: Linear::new(120, 84)?,
            fc3: Linear::new(84, 10)?,
        })
    }
}

impl Module for Net3x3 {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.conv1.forward(x)?.relu()?.max_pool2d(2)?;
        let x = self.conv2.forward(&x)?.relu()?.max_pool2d(2)?;
        let x = x.flatten(1)?;
        let x = self.fc1.forward(&x)?.relu()?;
        let x = self.fc2.forward(&x)?.relu()?;
        self.fc3.forward(&x)
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
