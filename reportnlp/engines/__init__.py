"""Clusters: the Dask engine, partitions of the input, partition tasks, manifest, part folders, shipped rule bundles."""
