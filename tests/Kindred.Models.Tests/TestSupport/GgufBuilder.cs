using System.Text;

namespace Kindred.Models.Tests.TestSupport;

/// <summary>
/// Writes small GGUF files for tests: <see cref="MinimalModel"/> is a valid model, and the setters and raw writers
/// let a test break exactly one thing in it.
/// </summary>
internal sealed class GgufBuilder
{
    public const uint TypeUInt32 = 4, TypeInt32 = 5, TypeFloat32 = 6, TypeString = 8, TypeArray = 9;
    public const uint GgmlF32 = 0;
    private const int Alignment = 32;

    private readonly List<(string Key, Action<BinaryWriter> Write)> metadata = [];
    private readonly List<TensorSpec> tensors = [];

    public byte[] Magic { get; set; } = "GGUF"u8.ToArray();

    public uint Version { get; set; } = 3;

    /// <summary>When set, written instead of the real tensor count.</summary>
    public ulong? TensorCountOverride { get; set; }

    /// <summary>When set, written instead of the real metadata count.</summary>
    public ulong? MetadataCountOverride { get; set; }

    /// <summary>A valid tiny llama-style model: the given vocabulary, BOS 1, EOS 2, one F32 <c>token_embd.weight</c>.</summary>
    public static GgufBuilder MinimalModel(int vocabularySize = 8, string tokenizer = "llama")
    {
        var tokens = Enumerable.Range(0, vocabularySize).Select(i => i switch
        {
            0 => "<unk>",
            1 => "<s>",
            2 => "</s>",
            _ => "t" + i,
        }).ToArray();
        var builder = new GgufBuilder()
            .String("general.architecture", "llama")
            .String("general.name", "tiny test model")
            .UInt32("llama.context_length", 128)
            .String("tokenizer.ggml.model", tokenizer)
            .StringArray("tokenizer.ggml.tokens", tokens)
            .Float32Array("tokenizer.ggml.scores", tokens.Select(_ => 0f))
            .Int32Array("tokenizer.ggml.token_type", tokens.Select(_ => 1))
            .UInt32("tokenizer.ggml.bos_token_id", 1)
            .UInt32("tokenizer.ggml.eos_token_id", 2)
            .Tensor("token_embd.weight", GgmlF32, 4, (ulong)vocabularySize);
        if (tokenizer == "gpt2")
        {
            builder.StringArray("tokenizer.ggml.merges", ["t 3", "t 4"]);
        }

        return builder;
    }

    public GgufBuilder String(string key, string value) =>
        Raw(key, w => { w.Write(TypeString); WriteString(w, value); });

    public GgufBuilder UInt32(string key, uint value) => Raw(key, w => { w.Write(TypeUInt32); w.Write(value); });

    public GgufBuilder StringArray(string key, IEnumerable<string> values)
    {
        var items = values.ToArray();
        return Raw(key, w =>
        {
            w.Write(TypeArray);
            w.Write(TypeString);
            w.Write((ulong)items.Length);
            foreach (var item in items)
            {
                WriteString(w, item);
            }
        });
    }

    public GgufBuilder Float32Array(string key, IEnumerable<float> values)
    {
        var items = values.ToArray();
        return Raw(key, w =>
        {
            w.Write(TypeArray);
            w.Write(TypeFloat32);
            w.Write((ulong)items.Length);
            Array.ForEach(items, w.Write);
        });
    }

    public GgufBuilder Int32Array(string key, IEnumerable<int> values)
    {
        var items = values.ToArray();
        return Raw(key, w =>
        {
            w.Write(TypeArray);
            w.Write(TypeInt32);
            w.Write((ulong)items.Length);
            Array.ForEach(items, w.Write);
        });
    }

    /// <summary>Sets <paramref name="key"/> to whatever <paramref name="writeTypeAndValue"/> writes after the key, replacing an earlier value in place.</summary>
    public GgufBuilder Raw(string key, Action<BinaryWriter> writeTypeAndValue)
    {
        var index = metadata.FindIndex(m => m.Key == key);
        if (index >= 0)
        {
            metadata[index] = (key, writeTypeAndValue);
        }
        else
        {
            metadata.Add((key, writeTypeAndValue));
        }

        return this;
    }

    /// <summary>Declares <paramref name="count"/> metadata entries, for raw writers that smuggle in extra ones.</summary>
    public GgufBuilder WithMetadataCount(ulong count)
    {
        MetadataCountOverride = count;
        return this;
    }

    public GgufBuilder Remove(string key)
    {
        metadata.RemoveAll(m => m.Key == key);
        return this;
    }

    /// <summary>Adds an F32-sized tensor whose zero-filled data the builder lays out at the next aligned offset.</summary>
    public GgufBuilder Tensor(string name, uint ggmlType, params ulong[] dimensions)
    {
        tensors.Add(new TensorSpec(w => WriteTensorInfo(w, name, ggmlType, dimensions, 0), dimensions.Aggregate(4UL, (a, d) => a * d)));
        return this;
    }

    /// <summary>Adds a tensor info written entirely by the test, with no data behind it.</summary>
    public GgufBuilder RawTensor(Action<BinaryWriter> writeInfo)
    {
        tensors.Add(new TensorSpec(_ => writeInfo(_), 0, Raw: true));
        return this;
    }

    public static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    public static void WriteTensorInfo(BinaryWriter writer, string name, uint ggmlType, ulong[] dimensions, ulong offset)
    {
        WriteString(writer, name);
        writer.Write((uint)dimensions.Length);
        Array.ForEach(dimensions, writer.Write);
        writer.Write(ggmlType);
        writer.Write(offset);
    }

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(Magic);
        w.Write(Version);
        w.Write(TensorCountOverride ?? (ulong)tensors.Count);
        w.Write(MetadataCountOverride ?? (ulong)metadata.Count);
        foreach (var (key, write) in metadata)
        {
            WriteString(w, key);
            write(w);
        }

        ulong offset = 0;
        var layout = new List<(ulong Offset, ulong Size)>();
        foreach (var tensor in tensors)
        {
            if (tensor.Raw)
            {
                tensor.WriteInfo(w);
                continue;
            }

            // The info was recorded with offset 0; write it again here with the real offset.
            using var info = new MemoryStream();
            using (var infoWriter = new BinaryWriter(info, Encoding.UTF8, leaveOpen: true))
            {
                tensor.WriteInfo(infoWriter);
            }

            var bytes = info.ToArray();
            BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 8), offset);
            w.Write(bytes);
            layout.Add((offset, tensor.DataSize));
            offset = Align(offset + tensor.DataSize);
        }

        w.Write(new byte[Align((ulong)stream.Position) - (ulong)stream.Position]);
        var dataStart = (ulong)stream.Position;
        foreach (var (tensorOffset, size) in layout)
        {
            w.Write(new byte[dataStart + tensorOffset - (ulong)stream.Position]);
            w.Write(new byte[size]);
        }

        w.Flush();
        return stream.ToArray();
    }

    private static ulong Align(ulong value) => (value + Alignment - 1) / Alignment * Alignment;

    private sealed record TensorSpec(Action<BinaryWriter> WriteInfo, ulong DataSize, bool Raw = false);
}
