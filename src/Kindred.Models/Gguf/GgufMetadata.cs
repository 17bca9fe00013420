using System.Text;

namespace Kindred.Models.Gguf;

/// <summary>One metadata value as far as validation needs it: scalars keep their bits, arrays only their shape.</summary>
internal readonly record struct GgufValue(GgufValueType Type, ulong Bits = 0, string? Text = null, GgufValueType ElementType = default, ulong Count = 0)
{
    public bool TryGetInteger(out long value)
    {
        (var isInteger, value) = Type switch
        {
            GgufValueType.UInt8 or GgufValueType.UInt16 or GgufValueType.UInt32 => (true, (long)Bits),
            GgufValueType.Int8 => (true, (sbyte)Bits),
            GgufValueType.Int16 => (true, (short)Bits),
            GgufValueType.Int32 => (true, (int)Bits),
            GgufValueType.Int64 => (true, (long)Bits),
            GgufValueType.UInt64 when Bits <= long.MaxValue => (true, (long)Bits),
            _ => (false, 0L),
        };
        return isInteger;
    }

    public string Describe() => Type == GgufValueType.Array ? $"an array of {ElementType}" : $"of type {Type}";
}

/// <summary>
/// Reads the metadata section. Token and merge arrays are checked while they stream past, because they are the
/// largest part of the metadata and the part whose defects make llama.cpp abort the process.
/// </summary>
internal sealed class GgufMetadata
{
    internal const string TokensKey = "tokenizer.ggml.tokens";
    internal const string MergesKey = "tokenizer.ggml.merges";

    // Keys are identifiers; anything longer is damage, not data.
    private const int MaxKeyBytes = 64 * 1024;

    // Some converters embed a whole Hugging Face tokenizer.json as one string, which can reach several MiB.
    private const int MaxStringValueBytes = 64 * 1024 * 1024;

    // Tokens, merges and other array entries are short; 1 MiB leaves room for odd but honest files.
    private const int MaxArrayStringBytes = 1024 * 1024;

    private readonly GgufReader reader;
    private readonly Dictionary<string, GgufValue> values = new(StringComparer.Ordinal);

    private GgufMetadata(GgufReader reader) => this.reader = reader;

    public IReadOnlyDictionary<string, GgufValue> Values => values;

    /// <summary>Index and text of the first merge rule without a space between two parts; null when all are well formed.</summary>
    public (ulong Index, string Text)? FirstBadMerge { get; private set; }

    public static GgufMetadata Read(GgufReader reader, ulong count)
    {
        var metadata = new GgufMetadata(reader);
        for (ulong i = 0; i < count; i++)
        {
            metadata.ReadEntry(i);
        }

        return metadata;
    }

    private void ReadEntry(ulong index)
    {
        var key = reader.ReadString($"the key of metadata entry #{index}", MaxKeyBytes, strictUtf8: true);
        if (values.ContainsKey(key))
        {
            throw Damaged($"metadata key '{key}' appears twice");
        }

        var rawType = reader.ReadUInt32($"the type of metadata key '{key}'");
        if (rawType > (uint)GgufValueType.Float64)
        {
            throw Damaged($"metadata key '{key}' has unknown value type {rawType}");
        }

        var type = (GgufValueType)rawType;
        values[key] = type switch
        {
            GgufValueType.String => ReadStringValue(key),
            GgufValueType.Array => ReadArray(key),
            _ => new GgufValue(type, ReadScalar(type, $"the value of metadata key '{key}'")),
        };
    }

    private GgufValue ReadStringValue(string key)
    {
        var what = $"the value of metadata key '{key}'";
        if (!IsKept(key))
        {
            reader.SkipString(what, MaxStringValueBytes);
            return new GgufValue(GgufValueType.String);
        }

        return new GgufValue(GgufValueType.String, Text: reader.ReadString(what, MaxStringValueBytes, strictUtf8: false));
    }

    private static bool IsKept(string key) =>
        key is "general.architecture" or "general.name" or "tokenizer.ggml.model" or "tokenizer.chat_template";

    private GgufValue ReadArray(string key)
    {
        var rawElementType = reader.ReadUInt32($"the element type of metadata array '{key}'");
        if (rawElementType == (uint)GgufValueType.Array)
        {
            throw Damaged($"metadata key '{key}' is an array of arrays, which llama.cpp cannot read");
        }

        if (rawElementType > (uint)GgufValueType.Float64)
        {
            throw Damaged($"metadata array '{key}' has unknown element type {rawElementType}");
        }

        var elementType = (GgufValueType)rawElementType;
        var count = reader.ReadUInt64($"the length of metadata array '{key}'");

        // A string element needs at least its 8-byte length prefix; comparing by division cannot overflow.
        var minElementBytes = elementType == GgufValueType.String ? 8 : ScalarSize(elementType);
        if (count > (ulong)reader.Remaining / (ulong)minElementBytes)
        {
            throw new ModelFileException(
                $"'{reader.Path}' is truncated or damaged: metadata array '{key}' declares {GgufReader.Format(count)} {elementType} elements, " +
                $"which need at least {FormatProduct(count, (ulong)minElementBytes)} bytes, but only {GgufReader.Format(reader.Remaining)} bytes remain.");
        }

        if (elementType != GgufValueType.String)
        {
            reader.Skip(count * (ulong)minElementBytes, $"metadata array '{key}'");
        }
        else if (key == TokensKey)
        {
            ReadTokens(count);
        }
        else if (key == MergesKey)
        {
            ReadMerges(count);
        }
        else
        {
            var what = $"an element of metadata array '{key}'";
            for (ulong i = 0; i < count; i++)
            {
                reader.SkipString(what, MaxArrayStringBytes);
            }
        }

        return new GgufValue(GgufValueType.Array, ElementType: elementType, Count: count);
    }

    private void ReadTokens(ulong count)
    {
        if (count > GgufValidator.MaxVocabularySize)
        {
            throw Damaged($"{TokensKey} lists {GgufReader.Format(count)} tokens, more than the {GgufReader.Format(GgufValidator.MaxVocabularySize)} a vocabulary may have");
        }

        // llama.cpp asserts (and so aborts the process) when two tokens share a text. It renames empty tokens to
        // "[EMPTY_<i>]" before that check, so the same is done here. Latin-1 maps bytes to chars one to one, which
        // keeps the comparison byte-exact for tokens that are not valid UTF-8.
        var seen = new HashSet<string>((int)count, StringComparer.Ordinal);
        const string What = "an entry of " + TokensKey;
        for (ulong i = 0; i < count; i++)
        {
            var bytes = reader.ReadStringBytes(What, MaxArrayStringBytes);
            var text = bytes.IsEmpty ? $"[EMPTY_{i}]" : Encoding.Latin1.GetString(bytes);
            if (!seen.Add(text))
            {
                throw Damaged($"token #{i} ({Display(bytes)}) appears twice in {TokensKey}, and llama.cpp aborts on a vocabulary with duplicate tokens");
            }
        }
    }

    private void ReadMerges(ulong count)
    {
        const string What = "an entry of " + MergesKey;
        for (ulong i = 0; i < count; i++)
        {
            var bytes = reader.ReadStringBytes(What, MaxArrayStringBytes);

            // llama.cpp splits each rule at the first space after the first byte; both halves must be non-empty.
            var space = bytes.Length > 1 ? bytes[1..].IndexOf((byte)' ') + 1 : 0;
            if (FirstBadMerge is null && (space < 1 || space >= bytes.Length - 1))
            {
                FirstBadMerge = (i, Display(bytes));
            }
        }
    }

    private ulong ReadScalar(GgufValueType type, string what) => ScalarSize(type) switch
    {
        1 => reader.ReadByte(what),
        2 => reader.ReadUInt16(what),
        4 => reader.ReadUInt32(what),
        _ => reader.ReadUInt64(what),
    };

    private static int ScalarSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        _ => 8,
    };

    private static string FormatProduct(ulong a, ulong b) =>
        ((UInt128)a * b).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Quotes a token for a one-line message: lenient UTF-8, control characters escaped, long text cut.</summary>
    internal static string Display(ReadOnlySpan<byte> bytes)
    {
        const int MaxChars = 40;
        var text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, MaxChars * 4)]);
        var builder = new StringBuilder("'");
        foreach (var c in text.Length > MaxChars ? text[..MaxChars] : text)
        {
            _ = char.IsControl(c) ? builder.Append($"\\u{(int)c:x4}") : builder.Append(c);
        }

        return builder.Append(text.Length > MaxChars ? "...'" : "'").ToString();
    }

    private ModelFileException Damaged(string problem) => new($"'{reader.Path}' is damaged: {problem}.");
}
