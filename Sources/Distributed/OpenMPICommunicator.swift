/// The communicator of a process that mpirun started: Open MPI's world communicator.
import Foundation

/// `MPI_COMM_WORLD` through the functions of ``OpenMPILibrary``.
///
/// Open MPI's default error handler (`MPI_ERRORS_ARE_FATAL`) already ends the whole job
/// when a call fails, so a failing return code is only checked for form's sake: it ends
/// the job too, with the call's name.
final class OpenMPICommunicator: Communicator {
    private let mpi: OpenMPILibrary
    let rank: Int
    let size: Int

    /// Initialises MPI; every process mpirun started must do so before any other call.
    init(library: OpenMPILibrary) throws(DistributedError) {
        mpi = library
        var provided: Int32 = 0
        guard mpi.initThread(nil, nil, OpenMPILibrary.threadFunneled, &provided) == 0 else {
            throw DistributedError("MPI_Init_thread failed")
        }
        var rank: Int32 = 0, size: Int32 = 0
        _ = mpi.commRank(mpi.world, &rank)
        _ = mpi.commSize(mpi.world, &size)
        (self.rank, self.size) = (Int(rank), Int(size))
    }

    func allReduceSum(_ values: inout [Float]) {
        guard !values.isEmpty else { return }
        guard let count = Int32(exactly: values.count) else {
            abort(message: "an all-reduce of \(values.count) values is beyond MPI's Int32 count")
        }
        let code = values.withUnsafeMutableBytes { buffer in
            mpi.allreduce(OpenMPILibrary.inPlace, buffer.baseAddress!, count, mpi.float, mpi.sum, mpi.world)
        }
        check(code, "MPI_Allreduce")
    }

    func allReduceSum(_ value: Double) -> Double {
        var value = value
        check(mpi.allreduce(OpenMPILibrary.inPlace, &value, 1, mpi.double, mpi.sum, mpi.world), "MPI_Allreduce")
        return value
    }

    func broadcast(_ values: inout [Double], from root: Int) {
        guard !values.isEmpty else { return }
        let count = Int32(values.count)
        let code = values.withUnsafeMutableBytes { buffer in
            mpi.bcast(buffer.baseAddress!, count, mpi.double, Int32(root), mpi.world)
        }
        check(code, "MPI_Bcast")
    }

    func abort(message: String) -> Never {
        FileHandle.standardError.write(Data("error: rank \(rank): \(message)\n".utf8))
        _ = mpi.abort(mpi.world, 1)
        exit(1)  // MPI_Abort does not return; this is for the type checker.
    }

    func finish() {
        check(mpi.finalize(), "MPI_Finalize")
    }

    private func check(_ code: Int32, _ call: String) {
        if code != 0 { abort(message: "\(call) failed with code \(code)") }
    }
}
