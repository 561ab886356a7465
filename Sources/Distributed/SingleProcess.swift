/// The communicator of a training that runs as one process, as without mpirun.
import Foundation

/// One process alone: a sum over all processes is the value itself, a broadcast changes
/// nothing, and an abort is an ordinary exit with the error on standard error.
public final class SingleProcess: Communicator {
    public let rank = 0
    public let size = 1

    public init() {}

    public func allReduceSum(_ values: inout [Float]) {}

    public func allReduceSum(_ value: Double) -> Double { value }

    public func broadcast(_ values: inout [Double], from root: Int) {}

    public func finish() {}

    public func abort(message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }
}
