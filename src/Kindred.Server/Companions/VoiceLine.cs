using Kindred.Server.Accounts;
using Kindred.Server.Voice;
using Kindred.Voice.Conversation;

namespace Kindred.Server.Companions;

/// <summary>One conversation's voice state: who speaks, the listener while listening, the answers in flight.</summary>
internal sealed class VoiceLine(string companionId, ServerVoices voices, AccountStore accounts) : IDisposable
{
    // About a second of 48 kHz audio per frame, with room to spare; browsers send a few hundred milliseconds.
    public const int MaxAudioFrameBytes = 256 * 1024;

    public string CompanionId { get; } = companionId;

    public ServerVoices Voices { get; } = voices;

    public AccountStore Accounts { get; } = accounts;

    public CancellationTokenSource Closing { get; } = new();

    private byte[]? _frame;

    /// <summary>Where an audio frame is received; allocated for conversations that use voice only.</summary>
    public byte[] Frame => _frame ??= new byte[MaxAudioFrameBytes];

    /// <summary>Bytes of the last audio frame in <see cref="Frame"/>; -1 when it was too large.</summary>
    public int FrameLength { get; set; }

    public VoiceListener? Listener { get; set; }

    public Task Answering { get; set; } = Task.CompletedTask;

    /// <summary>Utterances ended so far in this conversation (the number of the latest); on the receive loop only.</summary>
    public int Utterances { get; set; }

    /// <summary>The latest utterance that later speech continued (its answer is withdrawn); written on the receive loop.</summary>
#pragma warning disable CA1051 // a field, for Volatile.Read/Write between the receive loop and the answers
    public int Continued;
#pragma warning restore CA1051

    /// <summary>The utterance the reply in progress (or last) answers; 0 for none or typed text. Set in the answer chain.</summary>
    public int RepliedTo { get; set; }

    public void Dispose() => Closing.Dispose();
}
