using Kindred.Voice.Audio;
using Kindred.Voice.Conversation;
using Microsoft.Extensions.AI;

namespace Kindred.Voice.Tests.TestSupport;

/// <summary>An audio output that keeps what it was given and whether playback was stopped, and can run a hook on each piece.</summary>
internal sealed class RecordingAudioOutput : IAudioOutput
{
    private readonly Lock _gate = new();

    public List<PcmAudio> Played { get; } = [];

    public int Stops { get; private set; }

    /// <summary>Runs after each piece is recorded, before PlayAsync returns.</summary>
    public Func<int, CancellationToken, Task>? OnPlayed { get; set; }

    public async ValueTask PlayAsync(DataContent audio, CancellationToken cancellationToken)
    {
        Assert.Equal("audio/wav", audio.MediaType);
        int count;
        lock (_gate)
        {
            Played.Add(WavFile.Decode(audio.Data.Span));
            count = Played.Count;
        }

        if (OnPlayed is { } hook)
        {
            await hook(count, cancellationToken);
        }
    }

    public void StopPlayback()
    {
        lock (_gate)
        {
            Stops++;
        }
    }
}
