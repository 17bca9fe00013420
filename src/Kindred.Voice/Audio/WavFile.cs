using System.Buffers.Binary;
using System.Globalization;

namespace Kindred.Voice.Audio;

/// <summary>
/// Reads and writes RIFF/WAVE files. Reading validates everything a person could get wrong (not a WAV file, a
/// compressed encoding, an odd sample rate, too many channels, too short, too long, truncated) and says so in
/// one sentence; it accepts 16-bit PCM and 32-bit float, mono or stereo (mixed down to mono).
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    // Streaming writers (espeak-ng --stdout, browsers' recorders) cannot know the length up front and put a
    // placeholder this large or larger in the size fields; such a chunk runs to the end of the file.
    private const uint StreamingSizePlaceholder = 0x7FFF_0000;

    /// <summary>Reads a WAV file from <paramref name="stream"/>, reading no more than the longest audio <paramref name="limits"/> allow.</summary>
    /// <exception cref="AudioFormatException">The audio is not usable; the message says why.</exception>
    public static async Task<PcmAudio> ReadAsync(Stream stream, AudioLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= AudioLimits.Default;
        var maxBytes = MaxFileBytes(limits);
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new AudioFormatException(
                    $"The audio is too long: more than {maxBytes / 1_048_576.0:0.#} MB, and at most {Seconds(limits.MaxDuration)} of speech is accepted.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), limits);
    }

    /// <summary>Decodes a whole WAV file held in memory.</summary>
    /// <exception cref="AudioFormatException">The audio is not usable; the message says why.</exception>
    public static PcmAudio Decode(ReadOnlySpan<byte> file, AudioLimits? limits = null)
    {
        limits ??= AudioLimits.Default;
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new AudioFormatException("The audio is not a WAV file (it does not start with a RIFF/WAVE header). Send 16-bit PCM WAV, mono, 8–48 kHz.");
        }

        Format? format = null;
        var position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position + 4, 4));
            var bodyStart = position + 8;
            var available = file.Length - bodyStart;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || size > available)
                {
                    throw new AudioFormatException("The WAV file's format chunk is damaged.");
                }

                format = ReadFormat(file.Slice(bodyStart, (int)size), limits);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new AudioFormatException("The WAV file has its audio before its format chunk, so its format is unknown.");
                }

                int length;
                if (size <= available)
                {
                    length = (int)size;
                }
                else if (size >= StreamingSizePlaceholder)
                {
                    length = available;
                }
                else
                {
                    throw new AudioFormatException(
                        string.Create(CultureInfo.InvariantCulture, $"The WAV file is truncated: it declares {size:N0} bytes of audio but holds {available:N0}."));
                }

                return ToMono(file.Slice(bodyStart, length - (length % format.BlockAlign)), format, limits);
            }

            // Chunks are word-aligned; a huge size (a streaming placeholder on an unknown chunk) ends the walk.
            var next = (long)bodyStart + size + (size & 1);
            if (next > file.Length)
            {
                break;
            }

            position = (int)next;
        }

        throw new AudioFormatException(format is null
            ? "The WAV file has no format chunk."
            : "The WAV file has no audio data.");
    }

    /// <summary>Encodes mono 16-bit PCM as a WAV file.</summary>
    public static byte[] Encode(PcmAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var dataBytes = audio.Samples.Length * 2;
        var file = new byte[44 + dataBytes];
        var span = file.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(36 + dataBytes));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)audio.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(audio.SampleRate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)dataBytes);
        for (var i = 0; i < audio.Samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (2 * i))..], audio.Samples[i]);
        }

        return file;
    }

    private static long MaxFileBytes(AudioLimits limits) =>
        4096 + ((long)Math.Ceiling(limits.MaxDuration.TotalSeconds) * limits.MaxSampleRate * limits.MaxChannels * 4);

    private static Format ReadFormat(ReadOnlySpan<byte> chunk, AudioLimits limits)
    {
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        var rate = BinaryPrimitives.ReadInt32LittleEndian(chunk[4..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
        if (tag == FormatExtensible && chunk.Length >= 26)
        {
            // The sub-format GUID starts with the plain format tag.
            tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk[24..]);
        }

        var encoding = (tag, bits) switch
        {
            (FormatPcm, 16) => SampleEncoding.Int16,
            (FormatFloat, 32) => SampleEncoding.Float32,
            (FormatPcm, _) => throw new AudioFormatException($"The WAV file holds {bits}-bit PCM; send 16-bit PCM (or 32-bit float)."),
            _ => throw new AudioFormatException($"The WAV file is compressed or in an unsupported encoding (format {tag}); send 16-bit PCM (or 32-bit float)."),
        };

        if (channels < 1 || channels > limits.MaxChannels)
        {
            throw new AudioFormatException($"The WAV file has {channels} channels; send mono{(limits.MaxChannels > 1 ? " or stereo" : "")}.");
        }

        if (rate < limits.MinSampleRate || rate > limits.MaxSampleRate)
        {
            throw new AudioFormatException(string.Create(CultureInfo.InvariantCulture,
                $"The WAV file's sample rate is {rate:N0} Hz; send audio between {limits.MinSampleRate:N0} and {limits.MaxSampleRate:N0} Hz (16,000 Hz is best)."));
        }

        var bytesPerSample = encoding == SampleEncoding.Int16 ? 2 : 4;
        if (blockAlign != channels * bytesPerSample)
        {
            throw new AudioFormatException("The WAV file's format chunk is inconsistent (its block size does not match its channels and sample size).");
        }

        return new Format(encoding, channels, rate, blockAlign);
    }

    private static PcmAudio ToMono(ReadOnlySpan<byte> data, Format format, AudioLimits limits)
    {
        var frames = data.Length / format.BlockAlign;
        var duration = TimeSpan.FromSeconds((double)frames / format.SampleRate);
        if (duration < limits.MinDuration)
        {
            throw new AudioFormatException($"The audio is too short ({Seconds(duration)}); at least {Seconds(limits.MinDuration)} is needed.");
        }

        if (duration > limits.MaxDuration)
        {
            throw new AudioFormatException($"The audio is too long ({Seconds(duration)}); at most {Seconds(limits.MaxDuration)} is accepted.");
        }

        var samples = new short[frames];
        for (var frame = 0; frame < frames; frame++)
        {
            var offset = frame * format.BlockAlign;
            var sum = 0.0;
            for (var channel = 0; channel < format.Channels; channel++)
            {
                sum += format.Encoding == SampleEncoding.Int16
                    ? BinaryPrimitives.ReadInt16LittleEndian(data[(offset + (channel * 2))..])
                    : Math.Clamp(BinaryPrimitives.ReadSingleLittleEndian(data[(offset + (channel * 4))..]), -1f, 1f) * 32767.0;
            }

            samples[frame] = (short)Math.Round(sum / format.Channels);
        }

        return new PcmAudio(samples, format.SampleRate);
    }

    private static string Seconds(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.##} s");

    private enum SampleEncoding
    {
        Int16,
        Float32,
    }

    private sealed record Format(SampleEncoding Encoding, int Channels, int SampleRate, int BlockAlign);
}
