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
        Ok(AlexNet {
            conv1: Conv2d::new(3, 64, 11)?.stride(4)?.padding(2),
            conv2: Conv2d::new(64, 192, 5)?.padding(2),
            conv3: Conv2d::new(192, 384, 3)?.padding(1),
            conv4: Conv2d::new(384, 256, 3)?.padding(1),
            conv5: Conv2d::new(256, 256, 3)?.padding(1),
            fc1: Linear::new(256 * 6 * 6, 4096)?,
            fc2: Linear::new(4096, 4096)?,
            fc3: Linear::new(4096, num_classes)?,
        })
    }
}

impl Module for AlexNet {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.conv1.forward(x)?.relu()?.max_pool2d(2)?;
        let x = self.conv2.forward(&x)?.relu()?.max_pool2d(2)?;
        let x = self.conv3.forward(&x)?.relu()?;
        let x = self.conv4.forward(&x)?.relu()?;
        let x = self.conv5.forward(&x)?.relu()?.max_pool2d(2)?;
        let x = x.flatten(1)?;
        let x = self.fc1.forward(&x)?.relu()?;
        let x = self.fc2.forward(&x)?.relu()?;
        self.fc3.forward(&x)
    }

    fn children(&self) -> Vec<(String, &dyn Module)> {
        vec![
            ("conv1".to_string(), &self.conv1 as &dyn Module),
            ("conv2".to_string(), &self.conv2),
            ("conv3".to_string(), &self.conv3),
            ("conv4".to_string(), &self.conv4),
            ("conv5".to_string(), &self.conv5),
            ("fc1".to_string(), &self.fc1),
            ("fc2".to_string(), &self.fc2),
            ("fc3".to_string(), &self.fc3),
        ]
    }
}
