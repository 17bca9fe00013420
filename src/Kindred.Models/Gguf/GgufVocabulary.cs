namespace Kindred.Models.Gguf;

/// <summary>
/// The vocabulary checks: the defects here are the ones that make llama.cpp assert (abort the process) or read
/// past the end of an array while it loads the tokenizer.
/// </summary>
internal static class GgufVocabulary
{
    private const string ModelKey = "tokenizer.ggml.model";
    private const string ScoresKey = "tokenizer.ggml.scores";
    private const string TokenTypeKey = "tokenizer.ggml.token_type";

    // Padding and separator ids are left out on purpose: llama.cpp ignores an out-of-range special id with a
    // warning, and some published conversions carry a padding id equal to the vocabulary size. BOS, EOS and UNK
    // are the ones Kindred relies on when it builds prompts and stops generation.
    private static readonly string[] CheckedSpecialTokens = ["bos", "eos", "unknown"];

    public static (string Model, int Size, int? BosTokenId, int? EosTokenId) Check(GgufReader reader, GgufMetadata metadata, IReadOnlyList<GgufTensor> tensors)
    {
        var model = GgufValidator.RequireString(reader, metadata, ModelKey, "so it carries no tokenizer");
        if (!metadata.Values.TryGetValue(GgufMetadata.TokensKey, out var tokens))
        {
            throw new ModelFileException($"'{reader.Path}' is not a usable model: it has no vocabulary ({GgufMetadata.TokensKey} is missing).");
        }

        if (tokens.Type != GgufValueType.Array || tokens.ElementType != GgufValueType.String)
        {
            throw GgufValidator.Damaged(reader, $"{GgufMetadata.TokensKey} must be an array of strings, but it is {tokens.Describe()}");
        }

        if (tokens.Count == 0)
        {
            throw GgufValidator.Damaged(reader, $"its vocabulary ({GgufMetadata.TokensKey}) is empty");
        }

        var size = (int)tokens.Count;

        // llama.cpp indexes these arrays by token id for every token, so a shorter one is read past its end.
        CheckParallelArray(reader, metadata, ScoresKey, GgufValueType.Float32, size);
        CheckParallelArray(reader, metadata, TokenTypeKey, GgufValueType.Int32, size);

        if (model == "gpt2")
        {
            CheckMerges(reader, metadata);
        }

        int? bos = null, eos = null;
        foreach (var name in CheckedSpecialTokens)
        {
            var id = SpecialTokenId(reader, metadata, $"tokenizer.ggml.{name}_token_id", size);
            bos = name == "bos" ? id : bos;
            eos = name == "eos" ? id : eos;
        }

        var embedding = tensors.FirstOrDefault(t => t.Name == "token_embd.weight");
        if (embedding is { Dimensions.Length: >= 2 } && embedding.Dimensions[1] != (ulong)size)
        {
            throw GgufValidator.Damaged(reader, $"tensor 'token_embd.weight' has {GgufReader.Format(embedding.Dimensions[1])} token rows, but the vocabulary has {GgufReader.Format(size)} tokens");
        }

        return (model, size, bos, eos);
    }

    private static void CheckParallelArray(GgufReader reader, GgufMetadata metadata, string key, GgufValueType elementType, int size)
    {
        if (!metadata.Values.TryGetValue(key, out var value))
        {
            return;
        }

        if (value.Type != GgufValueType.Array || value.ElementType != elementType)
        {
            throw GgufValidator.Damaged(reader, $"{key} must be an array of {elementType}, but it is {value.Describe()}");
        }

        if (value.Count != (ulong)size)
        {
            throw GgufValidator.Damaged(reader, $"{key} has {GgufReader.Format(value.Count)} entries, but {GgufMetadata.TokensKey} has {GgufReader.Format(size)}; they must match one to one");
        }
    }

    private static void CheckMerges(GgufReader reader, GgufMetadata metadata)
    {
        if (!metadata.Values.TryGetValue(GgufMetadata.MergesKey, out var merges))
        {
            throw new ModelFileException($"'{reader.Path}' is damaged: it uses the 'gpt2' (BPE) tokenizer but has no {GgufMetadata.MergesKey}.");
        }

        if (merges.Type != GgufValueType.Array || merges.ElementType != GgufValueType.String)
        {
            throw GgufValidator.Damaged(reader, $"{GgufMetadata.MergesKey} must be an array of strings, but it is {merges.Describe()}");
        }

        if (metadata.FirstBadMerge is { } bad)
        {
            throw GgufValidator.Damaged(reader, $"merge #{bad.Index} of {GgufMetadata.MergesKey} ({bad.Text}) has no space separating its two parts");
        }
    }

    private static int? SpecialTokenId(GgufReader reader, GgufMetadata metadata, string key, int size)
    {
        if (!metadata.Values.TryGetValue(key, out var value))
        {
            return null;
        }

        if (!value.TryGetInteger(out var id))
        {
            throw GgufValidator.Damaged(reader, $"{key} must be an integer, but it is {value.Describe()}");
        }

        if (id < 0 || id >= size)
        {
            throw GgufValidator.Damaged(reader, $"{key} is {id}, but the vocabulary has only {GgufReader.Format(size)} tokens (ids 0 to {size - 1})");
        }

        return (int)id;
    }
}
