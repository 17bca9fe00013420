using Microsoft.Extensions.AI;

namespace Kindred.Voice.Conversation;

/// <summary>Where the companion's voice goes: a WebSocket to a browser, a speaker, a file.</summary>
public interface IAudioOutput
{
    /// <summary>Plays (or sends) one piece of audio, in order after the pieces before it.</summary>
    ValueTask PlayAsync(DataContent audio, CancellationToken cancellationToken);

    /// <summary>Stops playback at once and drops anything not yet played: the person has started speaking.</summary>
    void StopPlayback();
}
