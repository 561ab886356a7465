/// Building a model from its settings: the one place that knows every architecture.
import Autodiff

extension ModelConfig {
    /// A freshly initialised model of this configuration (`architecture`, and the
    /// attention kind for the RNN) over vocabularies of the given sizes, its weights drawn
    /// from `generator`.
    public func makeModel(sourceVocabularySize: Int, targetVocabularySize: Int,
                          generator: inout SeededGenerator) -> any TranslationModel {
        switch architecture {
        case .rnn:
            RNNModel(config: self, sourceVocabularySize: sourceVocabularySize,
                     targetVocabularySize: targetVocabularySize, generator: &generator)
        case .transformer:
            TransformerModel(config: self, sourceVocabularySize: sourceVocabularySize,
                             targetVocabularySize: targetVocabularySize, generator: &generator)
        }
    }
}
