/// Showing training progress: one redrawn line on a terminal, plain lines otherwise.
import Foundation
import Translation
import Autodiff

final class Progress {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastPlainLine = 0.0

    func show(_ event: TrainingEvent) {
        switch event {
        case let .step(step, epoch, loss, tokensPerSecond, secondsLeft):
            let line = String(format: "epoch %d step %d  loss %.3f  %.0f tokens/s  ETA ≤ ",
                              epoch, step, loss, tokensPerSecond) + duration(secondsLeft)
            if isTerminal {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            } else if monotonicSeconds() - lastPlainLine >= 10 {
                lastPlainLine = monotonicSeconds()
                note(line)
            }
        case let .validated(entry, improved):
            clearLine()
            note(String(format: "validation at step %d (epoch %d): train loss %.3f, valid loss %.3f, BLEU %.2f",
                        entry.step, entry.epoch, entry.trainLoss, entry.validLoss, entry.validBLEU)
                 + (improved ? "  (best so far, saved)" : ""))
        case let .note(text):
            clearLine()
            note(text)
        }
    }

    private func clearLine() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    func duration(_ seconds: Double) -> String {
        // A huge --epochs makes the estimate larger than any Int.
        guard seconds < 1e7 else { return "over 100 days" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
