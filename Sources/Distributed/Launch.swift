/// Which communicator this process has: Open MPI's when mpirun started it, else its own.
import Foundation

/// How this process was launched.
public enum Launch {
    /// Open MPI's mpirun sets `OMPI_COMM_WORLD_SIZE` (and `OMPI_COMM_WORLD_RANK`) in
    /// every process it starts; nothing else does.
    static let sizeVariable = "OMPI_COMM_WORLD_SIZE"

    /// The communicator of this process: Open MPI's world, loaded and initialised now, when
    /// mpirun started more than one process; ``SingleProcess`` otherwise (also under
    /// `mpirun -np 1`, which then runs exactly as without mpirun and loads no MPI).
    public static func communicator(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DistributedError) -> any Communicator {
        guard let size = environment[sizeVariable].flatMap(Int.init), size > 1 else { return SingleProcess() }
        return try OpenMPICommunicator(library: OpenMPILibrary())
    }
}
