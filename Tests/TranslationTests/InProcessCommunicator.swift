/// A communicator of several "processes" that are threads of the test, for testing
/// data-parallel training without MPI.
import Foundation
import Distributed

/// The shared meeting point of the ranks: each collective waits until every rank has
/// brought its values, then every rank leaves with the combined result.
final class InProcessGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var brought: [[Double]?]
    private var result: [Double] = []
    private var round = 0

    init(size: Int) {
        self.size = size
        brought = Array(repeating: nil, count: size)
    }

    /// The communicator of `rank`.
    func member(_ rank: Int) -> InProcessCommunicator { InProcessCommunicator(group: self, rank: rank) }

    /// Waits for every rank's `values` and returns `combine` of them (in rank order).
    func meet(_ values: [Double], rank: Int, combine: ([[Double]]) -> [Double]) -> [Double] {
        condition.lock()
        defer { condition.unlock() }
        let myRound = round
        brought[rank] = values
        if brought.allSatisfy({ $0 != nil }) {
            result = combine(brought.map { $0! })
            brought = Array(repeating: nil, count: size)
            round += 1
            condition.broadcast()
        } else {
            while round == myRound { condition.wait() }
        }
        return result
    }
}

/// One rank of an ``InProcessGroup``. Sums are taken in rank order, in Float for Float
/// arrays (a sum of two Floats in Double, rounded to Float, is their Float sum).
final class InProcessCommunicator: Communicator {
    let group: InProcessGroup
    let rank: Int
    var size: Int { group.size }

    init(group: InProcessGroup, rank: Int) {
        self.group = group
        self.rank = rank
    }

    func allReduceSum(_ values: inout [Float]) {
        let summed = group.meet(values.map(Double.init), rank: rank) { all in
            var sum = [Float](repeating: 0, count: all[0].count)
            for values in all {
                for i in sum.indices { sum[i] += Float(values[i]) }
            }
            return sum.map(Double.init)
        }
        values = summed.map { Float($0) }
    }

    func allReduceSum(_ value: Double) -> Double {
        group.meet([value], rank: rank) { all in [all.reduce(0) { $0 + $1[0] }] }[0]
    }

    func broadcast(_ values: inout [Double], from root: Int) {
        values = group.meet(values, rank: rank) { all in all[root] }
    }

    func abort(message: String) -> Never { fatalError("rank \(rank): \(message)") }

    func finish() {}
}
