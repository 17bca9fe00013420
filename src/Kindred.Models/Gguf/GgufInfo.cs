namespace Kindred.Models.Gguf;

/// <summary>What <see cref="GgufValidator.Validate"/> learned about a GGUF model file that passed validation.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="FileSize">Size of the file in bytes.</param>
/// <param name="Version">GGUF format version: 2 or 3.</param>
/// <param name="TensorCount">Number of tensors the file describes.</param>
/// <param name="Architecture">Value of <c>general.architecture</c>, e.g. <c>llama</c> or <c>qwen2</c>.</param>
/// <param name="Name">Value of <c>general.name</c>; null when absent.</param>
/// <param name="ContextLength">Value of <c>{architecture}.context_length</c>, the context the model was trained for; null when absent.</param>
/// <param name="ChatTemplate">Value of <c>tokenizer.chat_template</c> (a Jinja template); null when the file has none.</param>
/// <param name="TokenizerModel">Value of <c>tokenizer.ggml.model</c>, e.g. <c>llama</c> (SentencePiece) or <c>gpt2</c> (byte-level BPE).</param>
/// <param name="VocabularySize">Number of entries in <c>tokenizer.ggml.tokens</c>.</param>
/// <param name="BosTokenId">Value of <c>tokenizer.ggml.bos_token_id</c>; null when absent.</param>
/// <param name="EosTokenId">Value of <c>tokenizer.ggml.eos_token_id</c>; null when absent.</param>
/// <param name="MetadataCount">Number of metadata key/value pairs.</param>
public sealed record GgufInfo(
    string Path,
    long FileSize,
    int Version,
    int TensorCount,
    string Architecture,
    string? Name,
    long? ContextLength,
    string? ChatTemplate,
    string TokenizerModel,
    int VocabularySize,
    int? BosTokenId,
    int? EosTokenId,
    int MetadataCount);
