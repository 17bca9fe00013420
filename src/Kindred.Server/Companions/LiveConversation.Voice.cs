using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Kindred.Server.Accounts;
using Kindred.Server.Contracts;
using Kindred.Server.Voice;
using Kindred.Voice;
using Kindred.Voice.Audio;
using Kindred.Voice.Conversation;
using Kindred.Voice.Recognition;
using Kindred.Voice.TurnTaking;
using Microsoft.Extensions.AI;

namespace Kindred.Server.Companions;

/// <summary>
/// Voice over the live conversation (docs/websocket-protocol.md): PCM frames in, listened to as they arrive (voice
/// activity detection and recognition while the person speaks), the transcript answered as usual, and the reply
/// spoken back sentence by sentence, one WAV file per binary frame, while it is still being written. Speech over a
/// reply cuts it off (barge-in). A turn ends after a short silence so the answer starts soon; when the person resumes
/// within the continuation window it was only a pause, so that answer is withdrawn (stopped, and both turns
/// forgotten) and the whole utterance is answered as one turn.
/// </summary>
internal sealed partial class LiveConversation
{
    // Not a type a client can send: JSON messages arrive as text frames, audio as binary ones.
    private const string AudioFrame = "\u0000audio";

    private readonly VoiceLine _voice;

    private bool IsListening => _voice.Listener is not null;

    private async Task<ClientMessage?> ReceiveAudioAsync(Memory<byte> first, bool endOfMessage, CancellationToken aborted)
    {
        var frame = _voice.Frame;
        first.CopyTo(frame);
        var length = first.Length;
        var tooBig = false;
        while (!endOfMessage)
        {
            if (length == frame.Length)
            {
                // Read the rest and drop it: the conversation goes on, the frame is refused.
                tooBig = true;
                length = 0;
            }

            var result = await _socket.ReceiveAsync(frame.AsMemory(length), aborted).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            endOfMessage = result.EndOfMessage;
        }

        _voice.FrameLength = tooBig ? -1 : length;
        return new ClientMessage(AudioFrame, null);
    }

    private async Task StartVoiceAsync(ClientMessage message, CancellationToken aborted)
    {
        var mode = message.Mode switch
        {
            "handsfree" => ListeningMode.HandsFree,
            "hold" => ListeningMode.Hold,
            _ => (ListeningMode?)null,
        };
        if (mode is null || message.SampleRate is not { } rate)
        {
            await SendAsync(Error("bad_audio", "voice_start needs \"sampleRate\" (8000 to 48000) and \"mode\" (\"handsfree\" or \"hold\")."), aborted).ConfigureAwait(false);
            return;
        }

        SpeechRecognizer ears;
        try
        {
            ears = _voice.Voices.Ears;
        }
        catch (VoiceEngineException ex)
        {
            await SendAsync(Error("voice_unavailable", ex.Message), aborted).ConfigureAwait(false);
            return;
        }

        await StopListeningAsync().ConfigureAwait(false);
        try
        {
            _voice.Listener = new VoiceListener(ears, new EnergyVoiceActivityDetector(), rate, mode.Value, limits: _voice.Voices.Limits);
        }
        catch (AudioFormatException ex)
        {
            await SendAsync(Error("bad_audio", ex.Message), aborted).ConfigureAwait(false);
            return;
        }

        await SendAsync(new ServerMessage("listening"), aborted).ConfigureAwait(false);
    }

    private async Task EndVoiceAsync(CancellationToken aborted)
    {
        if (_voice.Listener is not { } listener)
        {
            await SendAsync(Error("bad_message", "voice_end arrived while not listening; send voice_start first."), aborted).ConfigureAwait(false);
            return;
        }

        _voice.Listener = null;
        var heard = listener.End();
        await listener.DisposeAsync().ConfigureAwait(false);
        if (heard is not null)
        {
            Answer(heard, ++_voice.Utterances);
        }
    }

    private async Task HearFrameAsync(CancellationToken aborted)
    {
        var problem = _voice.Listener is null ? "Audio arrived before voice_start; send voice_start first."
            : _voice.FrameLength < 0 ? $"An audio frame is larger than {VoiceLine.MaxAudioFrameBytes} bytes; send at most about a second of audio per frame."
            : _voice.FrameLength % 2 != 0 ? "Audio frames are 16-bit little-endian PCM, mono: each must hold an even number of bytes."
            : null;
        if (problem is not null)
        {
            await SendAsync(Error("bad_audio", problem), aborted).ConfigureAwait(false);
            return;
        }

        var samples = MemoryMarshal.Cast<byte, short>(_voice.Frame.AsSpan(0, _voice.FrameLength));
        if (!BitConverter.IsLittleEndian)
        {
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(samples, samples);
        }

        IReadOnlyList<ListenerEvent> events;
        try
        {
            events = _voice.Listener!.Push(samples);
        }
        catch (AudioFormatException ex)
        {
            await StopListeningAsync().ConfigureAwait(false);
            await SendAsync(Error("bad_audio", ex.Message), aborted).ConfigureAwait(false);
            return;
        }

        foreach (var heard in events)
        {
            if (heard.Kind == ListenerEventKind.SpeechStarted)
            {
                await SendAsync(new ServerMessage("speech_started"), aborted).ConfigureAwait(false);
                if (heard.ContinuesPrevious)
                {
                    // Marked before the reply is stopped, so that it reports itself withdrawn rather than interrupted.
                    Volatile.Write(ref _voice.Continued, _voice.Utterances);
                    Withdraw(_voice.Utterances);
                }

                // Barge-in: the person speaks over the reply, so it stops now and is stored as interrupted.
                if (!_replying.IsCompleted && _reply is not null)
                {
                    await _reply.CancelAsync().ConfigureAwait(false);
                }
            }
            else
            {
                Answer(heard.Heard!, ++_voice.Utterances);
            }
        }
    }

    // Utterances are answered in the order they were spoken, without holding up the audio still coming in.
    private void Answer(Task<HeardUtterance> heard, int utterance) => _voice.Answering = AnswerAsync(_voice.Answering, heard, utterance);

    // In the same order: after the answer to the continued utterance started (or was skipped), before the whole is answered.
    private void Withdraw(int utterance) => _voice.Answering = WithdrawAsync(_voice.Answering, utterance);

    private async Task WithdrawAsync(Task previous, int utterance)
    {
        await previous.ConfigureAwait(false);
        if (_voice.RepliedTo != utterance)
        {
            // Nothing was said to it (no words heard, or the person went on before the answer began).
            return;
        }

        _voice.RepliedTo = 0;
        if (_reply is { } reply)
        {
            try
            {
                await reply.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // A say, on the receive loop, replaced it: it had already ended.
            }
        }

        await _replying.ConfigureAwait(false);
        if (!_private)
        {
            try
            {
                await _grain.WithdrawLastReplyAsync(_sessionId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // The companion is unreachable: the cut-off turn stays, marked interrupted; the whole is answered anyway.
                return;
            }
        }

        try
        {
            // The client takes back the transcript and the reply it showed; the whole utterance's transcript follows.
            await SendAsync(new ServerMessage("withdrawn"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // The person went away.
        }
    }

    private async Task AnswerAsync(Task previous, Task<HeardUtterance> heard, int number)
    {
        await previous.ConfigureAwait(false);
        try
        {
            HeardUtterance utterance;
            try
            {
                utterance = await heard.ConfigureAwait(false);
            }
            catch (VoiceEngineException ex)
            {
                await SendAsync(Error("voice_unavailable", ex.Message), CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (Volatile.Read(ref _voice.Continued) >= number)
            {
                // The person went on speaking before this was answered: the whole utterance is answered instead.
                return;
            }

            // A reply still being said was spoken over: it is cut off (and stored, and its done sent) before the
            // transcript of what was said over it, so the client sees the turns in order.
            if (!string.IsNullOrWhiteSpace(utterance.Text) && _reply is { } spokenOver)
            {
                try
                {
                    await spokenOver.CancelAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // A say, on the receive loop, replaced it: it had already ended.
                }
            }

            await _replying.ConfigureAwait(false);
            await SendAsync(new ServerMessage("transcript") { Text = utterance.Text }, CancellationToken.None).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(utterance.Text) || _voice.Closing.IsCancellationRequested)
            {
                return;
            }

            // The previous source is left to the collector, not disposed: the receive loop may be cancelling it
            // (an interrupt) at this very moment, on its own thread.
            _reply = CancellationTokenSource.CreateLinkedTokenSource(_voice.Closing.Token);
            _voice.RepliedTo = number;
            _replying = SpokenReplyAsync(utterance.Text, _reply.Token, number);
        }
        catch (WebSocketException)
        {
            // The person went away.
        }
    }

    /// <param name="utterance">The voice utterance answered (numbered from 1); 0 for typed text.</param>
    private async Task SpokenReplyAsync(string text, CancellationToken cancellationToken, int utterance = 0)
    {
        try
        {
            var voice = await _voice.Accounts.GetVoiceAsync(_voice.CompanionId, CancellationToken.None).ConfigureAwait(false);
            var speaker = new SentenceSpeaker(_voice.Voices.Speaker(voice));
            var speaking = speaker.SpeakAsync(SendAudioAsync, cancellationToken);
            string? status = "complete";
            try
            {
                var reply = _private ? _grain.PrivateReplyAsync(text, _sessionId, cancellationToken) : _grain.ReplyAsync(text, _sessionId, cancellationToken);
                await foreach (var token in reply.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await SendAsync(new ServerMessage("token") { Text = token }, CancellationToken.None).ConfigureAwait(false);
                    speaker.Append(token);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                status = utterance > 0 && Volatile.Read(ref _voice.Continued) >= utterance ? "withdrawn" : "interrupted";
            }
            catch (Exception error) when (Refusal.Of(error) is { } refusal)
            {
                await SendAsync(Refused(refusal), CancellationToken.None).ConfigureAwait(false);
                status = null;
            }
            finally
            {
                speaker.Complete();
                await FinishSpeakingAsync(speaking, cancellationToken).ConfigureAwait(false);
            }

            if (status is not null)
            {
                await SendAsync(new ServerMessage("done") { Status = status }, CancellationToken.None).ConfigureAwait(false);
            }

            await SendAsync(new ServerMessage("audio_done"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // The person went away; the reply was stopped with the connection.
        }
    }

    private async Task FinishSpeakingAsync(Task speaking, CancellationToken cancellationToken)
    {
        try
        {
            await speaking.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cut off: no more audio.
        }
        catch (VoiceEngineException ex)
        {
            await SendAsync(Error("voice_unavailable", ex.Message), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async ValueTask SendAudioAsync(DataContent audio, CancellationToken cancellationToken)
    {
        // Checked here, not passed on: cancelling a WebSocket send aborts the whole socket, and a barge-in must not.
        cancellationToken.ThrowIfCancellationRequested();
        await _send.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.SendAsync(audio.Data, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task StopListeningAsync()
    {
        if (_voice.Listener is { } listener)
        {
            _voice.Listener = null;
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StopVoiceAsync()
    {
        await _voice.Closing.CancelAsync().ConfigureAwait(false);
        await StopListeningAsync().ConfigureAwait(false);
        await _voice.Answering.ConfigureAwait(false);
    }
}
