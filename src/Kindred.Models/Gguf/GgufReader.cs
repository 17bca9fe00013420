using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Kindred.Models.Gguf;

/// <summary>Value types of GGUF metadata (<c>enum gguf_type</c>).</summary>
internal enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}

/// <summary>
/// Reads a GGUF file front to back without trusting any length in it: every length is checked against the bytes
/// that are really left (and against a cap) before anything is allocated or skipped, so a hostile file costs at
/// most its own size in I/O and a bounded amount of memory.
/// </summary>
internal sealed class GgufReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly FileStream stream;
    private readonly byte[] scratch = new byte[8];
    private byte[] stringBuffer = new byte[256];

    public GgufReader(string path)
    {
        Path = path;
        stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        Length = stream.Length;
    }

    public string Path { get; }

    public long Length { get; }

    public long Position => stream.Position;

    public long Remaining => Length - stream.Position;

    public void Dispose() => stream.Dispose();

    public byte ReadByte(string what) => Fill(1, what)[0];

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Fill(2, what));

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Fill(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Fill(8, what));

    public void ReadExactly(Span<byte> destination, string what)
    {
        Ensure((ulong)destination.Length, what);
        stream.ReadExactly(destination);
    }

    public void Skip(ulong count, string what)
    {
        Ensure(count, what);
        stream.Seek((long)count, SeekOrigin.Current);
    }

    /// <summary>Reads a string's length prefix and checks it against the bytes left and <paramref name="maxBytes"/>.</summary>
    public int ReadStringLength(string what, int maxBytes)
    {
        var length = ReadUInt64(what);
        if (length > (ulong)Remaining)
        {
            throw new ModelFileException(
                $"'{Path}' is truncated or damaged: {what} declares a string of {Format(length)} bytes at byte {Format(Position - 8)}, " +
                $"but only {Format(Remaining)} bytes remain.");
        }

        if (length > (ulong)maxBytes)
        {
            throw new ModelFileException(
                $"'{Path}' is damaged: {what} declares a string of {Format(length)} bytes, more than the {Format(maxBytes)}-byte limit.");
        }

        return (int)length;
    }

    /// <summary>Reads a length-prefixed string into a reused buffer; the span is valid until the next read.</summary>
    public ReadOnlySpan<byte> ReadStringBytes(string what, int maxBytes)
    {
        var length = ReadStringLength(what, maxBytes);
        if (stringBuffer.Length < length)
        {
            stringBuffer = new byte[Math.Max(length, stringBuffer.Length * 2)];
        }

        var span = stringBuffer.AsSpan(0, length);
        stream.ReadExactly(span);
        return span;
    }

    public string ReadString(string what, int maxBytes, bool strictUtf8)
    {
        var bytes = ReadStringBytes(what, maxBytes);
        if (!strictUtf8)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ModelFileException($"'{Path}' is damaged: {what} is not valid UTF-8.");
        }
    }

    public void SkipString(string what, int maxBytes)
    {
        var length = ReadStringLength(what, maxBytes);
        stream.Seek(length, SeekOrigin.Current);
    }

    public static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Format(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private ReadOnlySpan<byte> Fill(int count, string what)
    {
        Ensure((ulong)count, what);
        var span = scratch.AsSpan(0, count);
        stream.ReadExactly(span);
        return span;
    }

    private void Ensure(ulong count, string what)
    {
        if (count > (ulong)Remaining)
        {
            throw new ModelFileException(
                $"'{Path}' is truncated: {what} needs {Format(count)} bytes at byte {Format(Position)}, " +
                $"but the file ends after {Format(Length)} bytes.");
        }
    }
}
