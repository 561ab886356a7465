/// The progress line's estimate of the time left.
import Testing
@testable import nmt

struct ProgressTests {
    /// A huge --epochs once made the estimate overflow an Int and stop the training.
    @Test func durationsBeyondAnyIntAreShownAsLong() {
        let progress = Progress()
        #expect(progress.duration(59.4) == "59s")
        #expect(progress.duration(3_725) == "1h2m")
        #expect(progress.duration(1e30) == "over 100 days")
        #expect(progress.duration(.infinity) == "over 100 days")
    }
}
