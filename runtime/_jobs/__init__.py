"""The private parts of the batch and fine-tuning helpers."""
