/// Tests of how a process finds its communicator, and of the single-process one.
import Testing
@testable import Distributed

struct LaunchTests {
    /// Without mpirun's variable, or under `mpirun -np 1`, no MPI is loaded.
    @Test(arguments: [[:], ["OMPI_COMM_WORLD_SIZE": "1"], ["OMPI_COMM_WORLD_SIZE": "x"]])
    func runsAsOneProcessUnlessMpirunStartedSeveral(environment: [String: String]) throws {
        let communicator = try Launch.communicator(environment: environment)
        #expect(communicator is SingleProcess)
        #expect(communicator.rank == 0 && communicator.size == 1 && communicator.writes)
    }

    @Test func aSumOverOneProcessIsTheValue() {
        let one = SingleProcess()
        var values: [Float] = [1, -2.5, 3]
        one.allReduceSum(&values)
        #expect(values == [1, -2.5, 3])
        #expect(one.allReduceSum(4.25) == 4.25)
        var decision: [Double] = [0.5, 1]
        one.broadcast(&decision, from: 0)
        #expect(decision == [0.5, 1])
    }
}
