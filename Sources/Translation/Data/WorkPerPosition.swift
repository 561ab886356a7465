/// How much arithmetic a model spends on each position of a batch: what a batch's shares
/// balance between the cores or processes that train on them (`Batcher+Shares.swift`).

/// The multiply–adds of a training step per position of a batch, counted as the weights
/// the position goes through: a position's vector meets every weight of its part of the
/// model once, one multiply–add each, in the forward pass, and about twice that in the
/// backward pass, at every position alike. Only the ratios matter to a share, so the
/// forward count stands for the step.
///
/// Positions of three kinds cost differently:
/// - a padded source position: the encoder runs every sentence to the batch's longest
///   source, so a share of B sentences padded to n costs B·n of them;
/// - a padded target position: the decoder steps every sentence to the longest target;
/// - a real target token: the output layer and the loss skip the padding.
///
/// What it leaves out, attention's energies (one per source position per query) and the
/// elementwise work, is a few percent of a step at the sizes trained here. Timed shares
/// of the Multi30k size put the three kinds at 1 : 2.2 : 6.3 where the count says
/// 1 : 2.7 : 7.3 (docs/training-profile.md): close enough to cut by.
public struct WorkPerPosition: Sendable, Equatable {
    /// Multiply–adds per padded source position.
    public var sourcePosition: Int
    /// Multiply–adds per padded target position.
    public var targetPosition: Int
    /// Multiply–adds per real target token.
    public var targetToken: Int

    public init(sourcePosition: Int, targetPosition: Int, targetToken: Int) {
        (self.sourcePosition, self.targetPosition, self.targetToken) = (sourcePosition, targetPosition, targetToken)
    }

    /// The work of B sentences padded to n source and m target positions, holding T real
    /// target tokens: B·n·source + B·m·target + T·token.
    public func ofBatch(sentences: Int, sourceSteps: Int, targetSteps: Int, targetTokens: Int) -> Int {
        sentences * (sourceSteps * sourcePosition + targetSteps * targetPosition) + targetTokens * targetToken
    }
}
