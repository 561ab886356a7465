/// Word alignments of sentence pairs: links between source and target words, sure and
/// possible, and how they are written in the Pharaoh format.

/// One link of a word alignment: source word `source` (i) is aligned to target word
/// `target` (j), both counted from 0.
///
/// Links sort by source word, then target word: the order in which a Pharaoh line is
/// written, so that the same alignment always gives the same line.
public struct AlignmentLink: Hashable, Comparable, Sendable {
    public let source: Int
    public let target: Int

    public init(source: Int, target: Int) {
        precondition(source >= 0 && target >= 0, "word indices count from 0")
        self.source = source
        self.target = target
    }

    public static func < (a: AlignmentLink, b: AlignmentLink) -> Bool {
        (a.source, a.target) < (b.source, b.target)
    }

    /// The link as Pharaoh writes a sure link, `i-j`.
    public var pharaoh: String { "\(source)-\(target)" }
}

/// The alignment of one sentence pair, with Och and Ney's two kinds of link (2003, "A
/// Systematic Comparison of Various Statistical Alignment Models", section 5): sure links
/// S, which annotators agree on, and possible links P, which they allow (function words,
/// idioms). Every sure link is also possible, S ⊆ P.
///
/// A system's alignment has one kind of link only; it is written as sure links, `sure` is
/// its set A, and `possible` equals it.
public struct WordAlignment: Equatable, Sendable {
    /// S: the sure links.
    public let sure: Set<AlignmentLink>
    /// P: the possible links, the sure ones included.
    public let possible: Set<AlignmentLink>

    /// Sure links and possible links; a link given as both is sure, and every sure link is
    /// made possible too.
    public init(sure: Set<AlignmentLink>, possible: Set<AlignmentLink> = []) {
        self.sure = sure
        self.possible = possible.union(sure)
    }

    /// The Pharaoh line: sure links as `i-j`, links that are only possible as `ipj`, in the
    /// order of ``AlignmentLink``, separated by single spaces; empty when there is no link.
    public var pharaoh: String {
        let links = possible.sorted().map { sure.contains($0) ? $0.pharaoh : "\($0.source)p\($0.target)" }
        return links.joined(separator: " ")
    }
}
