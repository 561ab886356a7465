/// Open MPI's C interface, loaded at run time with dlopen.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The few functions and handles of Open MPI that training uses, found with `dlsym` in
/// `libmpi.so.40` (Open MPI's soname on Debian and Ubuntu, `libopenmpi-dev`).
///
/// Why at run time: `nmt` must build, and run as one process, on a machine without MPI
/// (the quick start needs none); only a process that mpirun started loads the library.
///
/// Why this ties us to Open MPI: the MPI standard fixes the functions' signatures but not
/// what a handle is. In Open MPI, `MPI_Comm`, `MPI_Datatype` and `MPI_Op` are pointers,
/// and `MPI_COMM_WORLD`, `MPI_FLOAT`, `MPI_DOUBLE` and `MPI_SUM` are the addresses of the
/// global objects `ompi_mpi_comm_world`, `ompi_mpi_float`, `ompi_mpi_double` and
/// `ompi_mpi_op_sum` (mpi.h: `OMPI_PREDEFINED_GLOBAL(type, global)` is `(type) &(global)`),
/// so `dlsym` of those names gives the handles. MPICH's handles are integers compiled
/// into its header, which `dlsym` cannot find; supporting it would need its constants
/// written here.
final class OpenMPILibrary {
    static let soname = "libmpi.so.40"
    /// `MPI_THREAD_FUNNELED` (mpi.h's enum: SINGLE 0, FUNNELED 1, SERIALIZED 2, MULTIPLE
    /// 3): OpenBLAS runs threads of its own, but only the main thread calls MPI.
    static let threadFunneled: Int32 = 1
    /// `MPI_IN_PLACE`, `((void *) 1)` in Open MPI's mpi.h: the result replaces the input.
    static var inPlace: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: 1) }

    typealias InitThread = @convention(c) (OpaquePointer?, OpaquePointer?, Int32, UnsafeMutablePointer<Int32>) -> Int32
    typealias CommQuery = @convention(c) (OpaquePointer, UnsafeMutablePointer<Int32>) -> Int32
    typealias Allreduce = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer, Int32, OpaquePointer,
                                          OpaquePointer, OpaquePointer) -> Int32
    typealias Bcast = @convention(c) (UnsafeMutableRawPointer, Int32, OpaquePointer, Int32, OpaquePointer) -> Int32
    typealias Abort = @convention(c) (OpaquePointer, Int32) -> Int32
    typealias Finalize = @convention(c) () -> Int32

    let initThread: InitThread
    let commRank: CommQuery
    let commSize: CommQuery
    let allreduce: Allreduce
    let bcast: Bcast
    let abort: Abort
    let finalize: Finalize
    /// The handles `MPI_COMM_WORLD`, `MPI_FLOAT`, `MPI_DOUBLE`, `MPI_SUM`.
    let world: OpaquePointer
    let float: OpaquePointer
    let double: OpaquePointer
    let sum: OpaquePointer

    /// Loads the library, or says in one line why it cannot.
    init() throws(DistributedError) {
        // RTLD_GLOBAL: Open MPI's own plugins, which it dlopens in turn, look up its
        // symbols in the global namespace.
        guard let handle = dlopen(Self.soname, RTLD_NOW | RTLD_GLOBAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw DistributedError("mpirun started nmt, but Open MPI's \(Self.soname) cannot be loaded (\(reason)); "
                                   + "install it with scripts/install-deps.sh --mpi")
        }
        func symbol(_ name: String) throws(DistributedError) -> UnsafeMutableRawPointer {
            guard let address = dlsym(handle, name) else {
                throw DistributedError("\(Self.soname) has no \(name): nmt needs Open MPI 4 or later")
            }
            return address
        }
        func function<F>(_ name: String, as type: F.Type) throws(DistributedError) -> F {
            unsafeBitCast(try symbol(name), to: type)
        }
        initThread = try function("MPI_Init_thread", as: InitThread.self)
        commRank = try function("MPI_Comm_rank", as: CommQuery.self)
        commSize = try function("MPI_Comm_size", as: CommQuery.self)
        allreduce = try function("MPI_Allreduce", as: Allreduce.self)
        bcast = try function("MPI_Bcast", as: Bcast.self)
        abort = try function("MPI_Abort", as: Abort.self)
        finalize = try function("MPI_Finalize", as: Finalize.self)
        world = OpaquePointer(try symbol("ompi_mpi_comm_world"))
        float = OpaquePointer(try symbol("ompi_mpi_float"))
        double = OpaquePointer(try symbol("ompi_mpi_double"))
        sum = OpaquePointer(try symbol("ompi_mpi_op_sum"))
    }
}

/// Distributed training cannot start; the message says why, in one line.
public struct DistributedError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
