using System.Buffers.Binary;
using Kindred.Voice.Audio;

namespace Kindred.Voice.Tests.Audio;

public sealed class WavFileTests
{
    [Fact]
    public void Audio_written_as_wav_reads_back_sample_for_sample()
    {
        var audio = new PcmAudio([.. Enumerable.Range(0, 8000).Select(i => (short)((i * 37 % 2000) - 1000))], 16_000);

        var back = WavFile.Decode(audio.ToWav());

        Assert.Equal(16_000, back.SampleRate);
        Assert.Equal(audio.Samples, back.Samples);
    }

    [Fact]
    public void Stereo_is_mixed_down_to_mono()
    {
        var file = Wav(channels: 2, rate: 16_000, bits: 16, frames: 4000, sample: (frame, channel) => channel == 0 ? (short)1000 : (short)3000);

        var audio = WavFile.Decode(file);

        Assert.Equal(4000, audio.Samples.Length);
        Assert.All(audio.Samples, s => Assert.Equal(2000, s));
    }

    [Fact]
    public void Float_samples_are_converted_to_16_bit()
    {
        var file = Wav(channels: 1, rate: 16_000, bits: 32, frames: 4000, sample: (_, _) => 0, format: 3, floatSample: 0.5f);

        var audio = WavFile.Decode(file);

        Assert.All(audio.Samples, s => Assert.InRange(s, 16_383, 16_384));
    }

    [Fact]
    public void A_streaming_writers_placeholder_length_reads_to_the_end_of_the_file()
    {
        var file = Wav(channels: 1, rate: 22_050, bits: 16, frames: 4000, sample: (i, _) => (short)i);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(40), 0x7FFF_FFFF);

        Assert.Equal(4000, WavFile.Decode(file).Samples.Length);
    }

    [Theory]
    [InlineData("not a wav", "not a WAV file")]
    [InlineData("8bit", "8-bit PCM; send 16-bit PCM")]
    [InlineData("mulaw", "compressed or in an unsupported encoding")]
    [InlineData("96k", "sample rate is 96,000 Hz; send audio between 8,000 and 48,000 Hz")]
    [InlineData("6ch", "6 channels; send mono or stereo")]
    [InlineData("short", "too short (0.05 s); at least 0.1 s")]
    [InlineData("long", "too long (61 s); at most 60 s")]
    [InlineData("truncated", "truncated: it declares")]
    [InlineData("no data", "no audio data")]
    public void Bad_audio_gets_an_error_that_says_what_is_wrong(string kind, string message)
    {
        var file = kind switch
        {
            "not a wav" => "ID3 this is an mp3, honestly"u8.ToArray(),
            "8bit" => Wav(1, 16_000, 8, 4000, (_, _) => 0),
            "mulaw" => Wav(1, 8_000, 8, 4000, (_, _) => 0, format: 7),
            "96k" => Wav(1, 96_000, 16, 96_000, (_, _) => 0),
            "6ch" => Wav(6, 16_000, 16, 4000, (_, _) => 0),
            "short" => Wav(1, 16_000, 16, 800, (_, _) => 0),
            "long" => Wav(1, 8_000, 16, 8_000 * 61, (_, _) => 0),
            "truncated" => Wav(1, 16_000, 16, 4000, (_, _) => 0)[..4000],
            _ => Wav(1, 16_000, 16, 4000, (_, _) => 0)[..36],
        };

        var error = Assert.Throws<AudioFormatException>(() => WavFile.Decode(file));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_stream_stops_once_it_is_longer_than_any_accepted_audio()
    {
        var limits = new AudioLimits { MaxDuration = TimeSpan.FromSeconds(1) };
        using var endless = new MemoryStream(new byte[10_000_000]);

        var error = await Assert.ThrowsAsync<AudioFormatException>(() => WavFile.ReadAsync(endless, limits));

        Assert.Contains("too long", error.Message, StringComparison.Ordinal);
        Assert.True(endless.Position < 1_000_000, "it read on past the limit");
    }

    private static byte[] Wav(int channels, int rate, int bits, int frames, Func<int, int, short> sample, ushort format = 1, float floatSample = 0)
    {
        var bytesPerSample = bits / 8;
        var data = frames * channels * bytesPerSample;
        var file = new byte[44 + data];
        var span = file.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(36 + data));
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], format);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(rate * channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)(channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], (ushort)bits);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)data);
        for (var frame = 0; frame < frames; frame++)
        {
            for (var channel = 0; channel < channels; channel++)
            {
                var offset = 44 + (((frame * channels) + channel) * bytesPerSample);
                if (bits == 16)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(span[offset..], sample(frame, channel));
                }
                else if (bits == 32)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(span[offset..], floatSample);
                }
            }
        }

        return file;
    }
}
