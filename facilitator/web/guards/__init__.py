"""Guards in front of every request and frame: size and rate limits, the Host and Origin checks, frame reading."""
