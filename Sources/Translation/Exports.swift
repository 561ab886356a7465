@_exported import NeuralNet
