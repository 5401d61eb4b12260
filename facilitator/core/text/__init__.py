"""Dutch text tools shared by the clustering and the privacy check."""
