/// The generator against xoshiro256**'s published outputs, and its saved form.

import Foundation
import Testing
@testable import Autodiff

struct SeededGeneratorTests {
    /// From the state {1, 2, 3, 4}, read as a checkpoint holds it, the first outputs of
    /// the reference implementation (Blackman and Vigna's xoshiro256starstar.c).
    @Test func drawsTheReferenceSequenceFromASavedState() throws {
        let json = Data(#"{"state":[1,2,3,4]}"#.utf8)
        var generator = try JSONDecoder().decode(SeededGenerator.self, from: json)
        let drawn = (0..<4).map { _ in generator.next() }
        #expect(drawn == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    /// Saved and read back mid-sequence, a generator draws what the original draws next,
    /// and is saved as {"state": [four words]}.
    @Test func resumesFromItsSavedForm() throws {
        var original = SeededGenerator(seed: 42)
        for _ in 0..<10 { _ = original.next() }
        let saved = try JSONEncoder().encode(original)
        let object = try JSONSerialization.jsonObject(with: saved) as? [String: [UInt64]]
        #expect(object?["state"] == original.state && original.state.count == 4)
        var restored = try JSONDecoder().decode(SeededGenerator.self, from: saved)
        #expect(restored == original)
        #expect((0..<5).map { _ in restored.next() } == (0..<5).map { _ in original.next() })
    }

    @Test func aStateOfOtherThanFourWordsIsRefused() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SeededGenerator.self, from: Data(#"{"state":[1,2,3]}"#.utf8))
        }
    }
}
