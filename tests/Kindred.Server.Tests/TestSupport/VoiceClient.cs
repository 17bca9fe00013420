using System.Net.WebSockets;
using System.Text.Json;
using Kindred.Voice.Audio;
using Kindred.Voice.Synthesis;

namespace Kindred.Server.Tests.TestSupport;

/// <summary>One frame from the server: a JSON message, or (binary) one WAV file of the reply's voice.</summary>
public sealed record LiveFrame(JsonElement? Message, byte[]? Audio)
{
    public string Type => Message?.GetProperty("type").GetString() ?? "audio";
}

/// <summary>The voice side of the live protocol, from the client: speech from flite, sent as a microphone would.</summary>
public static class VoiceClient
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private static readonly FliteSynthesizer Flite = new();

    /// <summary>
    /// flite speaking <paramref name="text"/> at <paramref name="sampleRate"/>, after a little quiet and followed by
    /// <paramref name="silenceAfter"/> of it (faint noise, as a real room has).
    /// </summary>
    public static async Task<short[]> SpeechAsync(string text, int sampleRate, TimeSpan silenceAfter)
    {
        var speech = (await Flite.SynthesizeAsync(text, "slt", CancellationToken.None)).ResampledTo(sampleRate).Samples;
        var noise = new Random(7);
        short Quiet() => (short)noise.Next(-20, 21);
        var before = Enumerable.Range(0, sampleRate * 3 / 10).Select(_ => Quiet());
        var after = Enumerable.Range(0, (int)(sampleRate * silenceAfter.TotalSeconds)).Select(_ => Quiet());
        return [.. before, .. speech, .. after];
    }

    /// <summary>Sends audio as 16-bit little-endian PCM in binary frames of 100 ms.</summary>
    public static async Task SendAudioAsync(this ClientWebSocket socket, short[] samples, int sampleRate)
    {
        var frame = sampleRate / 10;
        for (var offset = 0; offset < samples.Length; offset += frame)
        {
            var piece = samples.AsSpan(offset, Math.Min(frame, samples.Length - offset));
            var bytes = new byte[piece.Length * 2];
            for (var i = 0; i < piece.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), piece[i]);
            }

            await socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
    }

    /// <summary>The next frame, text or binary (bounded only so a broken server fails the test instead of hanging it).</summary>
    public static async Task<LiveFrame> ReceiveFrameAsync(this ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The server closed the conversation.");
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Binary
                    ? new LiveFrame(null, buffer.ToArray())
                    : new LiveFrame(JsonDocument.Parse(buffer.ToArray()).RootElement.Clone(), null);
            }
        }
    }

    /// <summary>Every frame up to and including the first of type <paramref name="last"/>.</summary>
    public static async Task<List<LiveFrame>> ReceiveUntilAsync(this ClientWebSocket socket, string last)
    {
        var frames = new List<LiveFrame>();
        while (frames.Count == 0 || frames[^1].Type != last)
        {
            frames.Add(await socket.ReceiveFrameAsync());
        }

        return frames;
    }

    /// <summary>Decodes a WAV frame (throws on anything that is not a valid WAV file).</summary>
    public static PcmAudio Wav(byte[] file) => WavFile.Decode(file);
}
