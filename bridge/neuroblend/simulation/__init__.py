"""simulation: NEURON set-up, recording (cells, spikes, connections, MPI gather) and the
neuroblend.simulation file; spike/ and network/ build on it."""
