using System.Globalization;
using System.Text;

namespace Kindred.Models.Gguf;

/// <summary>
/// Checks a GGUF model file in managed code before it reaches llama.cpp, which aborts the whole process (rather
/// than returning an error) on some malformed files, a broken vocabulary above all.
/// </summary>
/// <remarks>
/// The file is read once, front to back, with every declared length checked against the bytes really left and
/// against the caps below before anything is allocated, so a hostile file is rejected quickly and cheaply.
/// Tensor data is not read: only its extent is checked against the file size.
/// </remarks>
public static class GgufValidator
{
    /// <summary>Most tensors a file may declare: 65,536 (the largest published models have a few thousand).</summary>
    public const int MaxTensorCount = 65_536;

    /// <summary>Most metadata entries a file may declare: 65,536.</summary>
    public const int MaxMetadataCount = 65_536;

    /// <summary>Most tokens a vocabulary may have: 1,000,000 (today's largest are about 260,000).</summary>
    public const int MaxVocabularySize = 1_000_000;

    /// <summary>Tensor data alignment when <c>general.alignment</c> is absent: 32 bytes, as in llama.cpp.</summary>
    public const int DefaultAlignment = 32;

    // ggml keeps tensor names in a 64-byte buffer including the terminating zero (GGML_MAX_NAME).
    private const int MaxTensorNameBytes = 63;

    private const int MaxTensorDimensions = 4;

    // Smallest encodings: a metadata entry is an empty key (8), a type (4) and a one-byte value; a tensor info is an
    // empty name (8), n_dims (4), one dimension (8), a type (4) and an offset (8).
    private const int MinMetadataEntryBytes = 13;
    private const int MinTensorInfoBytes = 32;

    /// <summary>Validates the GGUF file at <paramref name="path"/>.</summary>
    /// <returns>What the file says about itself.</returns>
    /// <exception cref="ModelFileException">The file is missing, unreadable, not GGUF, truncated or malformed; the message says which.</exception>
    public static GgufInfo Validate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new ModelFileException($"'{fullPath}' is a folder, not a GGUF model file.");
        }

        if (!File.Exists(fullPath))
        {
            throw new ModelFileException($"Model file not found: {fullPath}");
        }

        GgufReader reader;
        try
        {
            reader = new GgufReader(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"Cannot read '{fullPath}': {ex.Message}", ex);
        }

        using (reader)
        {
            try
            {
                return Inspect(reader);
            }
            catch (IOException ex)
            {
                throw new ModelFileException($"Cannot read '{fullPath}': {ex.Message}", ex);
            }
        }
    }

    private static GgufInfo Inspect(GgufReader reader)
    {
        var (version, tensorCount, metadataCount) = ReadHeader(reader);
        var metadata = GgufMetadata.Read(reader, metadataCount);
        var alignment = ReadAlignment(reader, metadata);
        var tensors = ReadTensorInfos(reader, tensorCount, alignment);
        CheckTensorData(reader, tensors, alignment);

        var architecture = RequireString(reader, metadata, "general.architecture", "so llama.cpp cannot tell what kind of model it is");
        var vocabulary = GgufVocabulary.Check(reader, metadata, tensors);
        return new GgufInfo(
            reader.Path,
            reader.Length,
            version,
            (int)tensorCount,
            architecture,
            metadata.Values.TryGetValue("general.name", out var name) ? name.Text : null,
            metadata.Values.TryGetValue($"{architecture}.context_length", out var context) && context.TryGetInteger(out var length) ? length : null,
            metadata.Values.TryGetValue("tokenizer.chat_template", out var template) ? template.Text : null,
            vocabulary.Model,
            vocabulary.Size,
            vocabulary.BosTokenId,
            vocabulary.EosTokenId,
            (int)metadataCount);
    }

    private static (int Version, ulong TensorCount, ulong MetadataCount) ReadHeader(GgufReader reader)
    {
        if (reader.Length == 0)
        {
            throw new ModelFileException($"'{reader.Path}' is empty (0 bytes), not a GGUF model file.");
        }

        if (reader.Length < 4)
        {
            throw new ModelFileException($"'{reader.Path}' is not a GGUF model file (it is only {reader.Length} bytes long).");
        }

        Span<byte> magic = stackalloc byte[4];
        reader.ReadExactly(magic, "the GGUF magic");
        if (!magic.SequenceEqual("GGUF"u8))
        {
            throw new ModelFileException($"'{reader.Path}' is not a GGUF model file (it starts with {DescribeMagic(magic)}, not 'GGUF').");
        }

        var version = reader.ReadUInt32("the GGUF version");
        if (version is 0x0200_0000 or 0x0300_0000)
        {
            throw new ModelFileException($"'{reader.Path}' is a big-endian GGUF file; Kindred reads little-endian GGUF files only.");
        }

        if (version == 1)
        {
            throw new ModelFileException($"'{reader.Path}' uses GGUF version 1, which llama.cpp no longer reads; convert the model again with a current llama.cpp.");
        }

        if (version is not (2 or 3))
        {
            throw new ModelFileException($"'{reader.Path}' uses GGUF version {version}; Kindred reads GGUF versions 2 and 3.");
        }

        var tensorCount = reader.ReadUInt64("the tensor count");
        var metadataCount = reader.ReadUInt64("the metadata count");
        if (tensorCount > MaxTensorCount)
        {
            throw new ModelFileException($"'{reader.Path}' is damaged: it declares {GgufReader.Format(tensorCount)} tensors, more than the {GgufReader.Format(MaxTensorCount)} allowed.");
        }

        if (metadataCount > MaxMetadataCount)
        {
            throw new ModelFileException($"'{reader.Path}' is damaged: it declares {GgufReader.Format(metadataCount)} metadata entries, more than the {GgufReader.Format(MaxMetadataCount)} allowed.");
        }

        var minimum = (tensorCount * MinTensorInfoBytes) + (metadataCount * MinMetadataEntryBytes);
        if (minimum > (ulong)reader.Remaining)
        {
            throw new ModelFileException(
                $"'{reader.Path}' is truncated: its header lists {GgufReader.Format(tensorCount)} tensors and {GgufReader.Format(metadataCount)} metadata entries, " +
                $"which need at least {GgufReader.Format(minimum)} bytes, but only {GgufReader.Format(reader.Remaining)} bytes follow the header.");
        }

        return ((int)version, tensorCount, metadataCount);
    }

    private static uint ReadAlignment(GgufReader reader, GgufMetadata metadata)
    {
        if (!metadata.Values.TryGetValue("general.alignment", out var value))
        {
            return DefaultAlignment;
        }

        // llama.cpp reads this key with an assertion on its type, so a wrong type would abort the process.
        if (value.Type != GgufValueType.UInt32 || value.Bits == 0 || (value.Bits & (value.Bits - 1)) != 0)
        {
            throw new ModelFileException($"'{reader.Path}' is damaged: general.alignment must be a power of two stored as UINT32, but it is {value.Describe()} with value {value.Bits}.");
        }

        return (uint)value.Bits;
    }

    private static List<GgufTensor> ReadTensorInfos(GgufReader reader, ulong count, uint alignment)
    {
        var tensors = new List<GgufTensor>((int)count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        Span<ulong> dimensions = stackalloc ulong[MaxTensorDimensions];
        for (ulong i = 0; i < count; i++)
        {
            var name = reader.ReadString($"the name of tensor #{i}", 1024, strictUtf8: true);
            if (Encoding.UTF8.GetByteCount(name) > MaxTensorNameBytes)
            {
                throw Damaged(reader, $"tensor #{i} has a name of {Encoding.UTF8.GetByteCount(name)} bytes ('{name}'); ggml allows at most {MaxTensorNameBytes}");
            }

            if (!names.Add(name))
            {
                throw Damaged(reader, $"tensor '{name}' appears twice");
            }

            var dimensionCount = reader.ReadUInt32($"the dimension count of tensor '{name}'");
            if (dimensionCount is 0 or > MaxTensorDimensions)
            {
                throw Damaged(reader, $"tensor '{name}' has {dimensionCount} dimensions; GGUF allows 1 to {MaxTensorDimensions}");
            }

            ulong elements = 1;
            for (var d = 0; d < dimensionCount; d++)
            {
                dimensions[d] = reader.ReadUInt64($"the dimensions of tensor '{name}'");
                if (dimensions[d] == 0)
                {
                    throw Damaged(reader, $"tensor '{name}' has a dimension of size 0");
                }

                if (dimensions[d] > long.MaxValue / elements)
                {
                    throw Damaged(reader, $"the dimensions of tensor '{name}' multiply to more elements than a tensor can have");
                }

                elements *= dimensions[d];
            }

            var typeId = reader.ReadUInt32($"the type of tensor '{name}'");
            if (!GgmlTypes.TryGet(typeId, out var type))
            {
                throw Damaged(reader, $"tensor '{name}' uses unknown ggml type {typeId}");
            }

            if (dimensions[0] % (ulong)type.BlockSize != 0)
            {
                throw Damaged(reader, $"tensor '{name}' has rows of {GgufReader.Format(dimensions[0])} elements, not a multiple of the {type.Name} block size {type.BlockSize}");
            }

            var blocks = elements / (ulong)type.BlockSize;
            if (blocks > long.MaxValue / (ulong)type.TypeSize)
            {
                throw Damaged(reader, $"tensor '{name}' is larger than any file can be");
            }

            var offset = reader.ReadUInt64($"the data offset of tensor '{name}'");
            if (offset % alignment != 0)
            {
                throw Damaged(reader, $"tensor '{name}' starts at offset {GgufReader.Format(offset)}, which is not a multiple of the alignment {alignment}");
            }

            tensors.Add(new GgufTensor(name, dimensions[..(int)dimensionCount].ToArray(), type, offset, blocks * (ulong)type.TypeSize));
        }

        return tensors;
    }

    private static void CheckTensorData(GgufReader reader, List<GgufTensor> tensors, uint alignment)
    {
        // Tensor offsets count from the start of the data section, which begins at the next aligned byte after the tensor infos.
        var dataStart = ((UInt128)reader.Position + alignment - 1) / alignment * alignment;
        GgufTensor? worst = null;
        UInt128 worstEnd = 0;
        foreach (var tensor in tensors)
        {
            var end = dataStart + tensor.Offset + tensor.ByteSize;
            if (end > (ulong)reader.Length && end > worstEnd)
            {
                (worst, worstEnd) = (tensor, end);
            }
        }

        if (worst is not null)
        {
            throw new ModelFileException(
                $"'{reader.Path}' is truncated: tensor '{worst.Name}' needs bytes up to {worstEnd.ToString("N0", CultureInfo.InvariantCulture)} " +
                $"but the file has {GgufReader.Format(reader.Length)}.");
        }
    }

    internal static string RequireString(GgufReader reader, GgufMetadata metadata, string key, string consequence)
    {
        if (!metadata.Values.TryGetValue(key, out var value))
        {
            throw new ModelFileException($"'{reader.Path}' is not a usable model: it has no {key}, {consequence}.");
        }

        if (value.Type != GgufValueType.String || value.Text is null)
        {
            throw Damaged(reader, $"{key} must be a string, but it is {value.Describe()}");
        }

        return value.Text;
    }

    internal static ModelFileException Damaged(GgufReader reader, string problem) => new($"'{reader.Path}' is damaged: {problem}.");

    private static string DescribeMagic(ReadOnlySpan<byte> magic)
    {
        foreach (var b in magic)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return "bytes " + Convert.ToHexString(magic);
            }
        }

        return $"'{Encoding.ASCII.GetString(magic)}'";
    }
}

/// <summary>One tensor's description from the tensor info section.</summary>
internal sealed record GgufTensor(string Name, ulong[] Dimensions, GgmlTypeInfo Type, ulong Offset, ulong ByteSize);
