using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kindred.Server.Accounts;
using Kindred.Server.Contracts;
using Kindred.Server.Inner;
using Kindred.Server.Voice;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kindred.Server.Companions;

/// <summary>
/// A live conversation over a WebSocket, in the small JSON protocol of docs/websocket-protocol.md: the person says
/// things, the reply streams back token by token, and the person can interrupt it or ask the status. When the
/// socket goes away, the reply being generated stops at once and is stored as interrupted.
/// </summary>
internal sealed partial class LiveConversation : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly WebSocket _socket;
    private readonly ICompanionGrain _grain;
    private readonly ServerOptions _options;
    private readonly IGrainFactory _grains;
    private readonly bool _private;
    private readonly string _sessionId = AccountStore.NewId("live_");
    private readonly SemaphoreSlim _send = new(1, 1);
    private CancellationTokenSource? _reply;
    private Task _replying = Task.CompletedTask;

    private LiveConversation(WebSocket socket, ICompanionGrain grain, IGrainFactory grains, ServerOptions options, bool isPrivate, VoiceLine voice)
    {
        _socket = socket;
        _grain = grain;
        _options = options;
        _grains = grains;
        _private = isPrivate;
        _voice = voice;
    }

    /// <param name="private">True: a private conversation, of which nothing is stored (?private=true).</param>
    public static async Task AcceptAsync(
        string companionId, HttpContext context, IGrainFactory grains, ServerOptions options, ServerVoices voices, AccountStore accounts,
        ILogger<LiveConversation> logger, bool? @private = null)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(title: "This is a WebSocket endpoint; connect with a WebSocket client.", statusCode: StatusCodes.Status400BadRequest)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var grain = grains.GetGrain<ICompanionGrain>(companionId);
        var woken = await grain.WakeAsync(CompanionEndpoints.ApiSession, context.RequestAborted).ConfigureAwait(false);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        ServerLog.LiveOpened(logger, companionId);
        using var conversation = new LiveConversation(socket, grain, grains, options, @private == true, new VoiceLine(companionId, voices, accounts));
        try
        {
            await conversation.RunAsync(woken, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            if (conversation._private)
            {
                await grain.EndPrivateAsync(conversation._sessionId).ConfigureAwait(false);
            }

            ServerLog.LiveClosed(logger, companionId);
        }
    }

    private async Task RunAsync(CompanionWoken woken, CancellationToken aborted)
    {
        // Listening for outreach before "ready", so anything scheduled after the client saw "ready" reaches it.
        await using var listening = await OutreachSubscription.StartAsync(this).ConfigureAwait(false);
        try
        {
            await SendAsync(new ServerMessage("ready") { CompanionId = woken.CompanionId, Name = woken.Name, SessionId = _sessionId, Private = _private ? true : null }, aborted).ConfigureAwait(false);

            // What waited for the person to connect is said now.
            await _grain.WakeOutreachAsync().ConfigureAwait(false);
            var buffer = new byte[(_options.MaxMessageLength * 4) + 1024];
            while (true)
            {
                var message = await ReceiveAsync(buffer, aborted).ConfigureAwait(false);
                if (message is null)
                {
                    break;
                }

                await HandleAsync(message, aborted).ConfigureAwait(false);
            }

            if (_socket.State == WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The person went away; the reply, if any, is stopped below.
        }
        finally
        {
            if (_reply is not null)
            {
                await _reply.CancelAsync().ConfigureAwait(false);
            }

            await StopVoiceAsync().ConfigureAwait(false);
            await _replying.ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(ClientMessage message, CancellationToken aborted)
    {
        switch (message.Type)
        {
            case "say":
                if (!_replying.IsCompleted)
                {
                    await SendAsync(Error("replying", "A reply is still being said; interrupt it first."), aborted).ConfigureAwait(false);
                    return;
                }

                if (PersonText.Check(message.Text, _options) is { } problem)
                {
                    await SendAsync(Error("bad_message", problem), aborted).ConfigureAwait(false);
                    return;
                }

                _reply?.Dispose();
                _reply = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                _voice.RepliedTo = 0;
                _replying = IsListening ? SpokenReplyAsync(message.Text!, _reply.Token) : ReplyAsync(message.Text!, _reply.Token);
                break;
            case "interrupt":
                if (_reply is not null)
                {
                    await _reply.CancelAsync().ConfigureAwait(false);
                }

                break;
            case "voice_start":
                await StartVoiceAsync(message, aborted).ConfigureAwait(false);
                break;
            case "voice_end":
                await EndVoiceAsync(aborted).ConfigureAwait(false);
                break;
            case AudioFrame:
                await HearFrameAsync(aborted).ConfigureAwait(false);
                break;
            case "status":
                await SendAsync(new ServerMessage("status") { State = _replying.IsCompleted ? "idle" : "replying" }, aborted).ConfigureAwait(false);
                break;
            default:
                await SendAsync(Error("bad_message", "Unknown message type; expected say, interrupt, status, voice_start or voice_end."), aborted).ConfigureAwait(false);
                break;
        }
    }

    private async Task ReplyAsync(string text, CancellationToken cancellationToken)
    {
        var status = "complete";
        try
        {
            var reply = _private ? _grain.PrivateReplyAsync(text, _sessionId, cancellationToken) : _grain.ReplyAsync(text, _sessionId, cancellationToken);
            await foreach (var token in reply.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                // Not the reply's token: cancelling a WebSocket send aborts the whole socket, and an interrupt must not.
                await SendAsync(new ServerMessage("token") { Text = token }, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = "interrupted";
        }
        catch (Exception error) when (Refusal.Of(error) is { } refusal)
        {
            await SendAsync(Refused(refusal), CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (WebSocketException)
        {
            return;
        }

        await SendAsync(new ServerMessage("done") { Status = status }, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<ClientMessage?> ReceiveAsync(byte[] buffer, CancellationToken aborted)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                await _socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big", aborted).ConfigureAwait(false);
                return null;
            }

            var result = await _socket.ReceiveAsync(buffer.AsMemory(length), aborted).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                return await ReceiveAudioAsync(buffer.AsMemory(length, result.Count), result.EndOfMessage, aborted).ConfigureAwait(false);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }

        try
        {
            return JsonSerializer.Deserialize<ClientMessage>(buffer.AsSpan(0, length), Json) ?? new ClientMessage(null, null);
        }
        catch (JsonException)
        {
            return new ClientMessage("not json", null);
        }
    }

    private async Task SendAsync(ServerMessage message, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        await _send.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task<bool> SendOutreachAsync(long outreachId, string words)
    {
        if (_socket.State != WebSocketState.Open)
        {
            return false;
        }

        try
        {
            await SendAsync(new ServerMessage("outreach") { Id = outreachId, Text = words }, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _send.Dispose();
        _reply?.Dispose();
        _voice.Dispose();
    }

    private static ServerMessage Error(string code, string message) => new("error") { Code = code, Message = message };

    /// <summary>A refused turn on the WebSocket: an <c>error</c> message with the refusal's code (and retry time when busy).</summary>
    private static ServerMessage Refused(Refusal refusal) => Error(refusal.Code, refusal.Message) with { RetryAfter = refusal.RetryAfterSeconds };

    private sealed record ClientMessage(string? Type, string? Text)
    {
        public int? SampleRate { get; init; }

        public string? Mode { get; init; }
    }

    private sealed record ServerMessage(string Type)
    {
        public string? CompanionId { get; init; }

        public string? Name { get; init; }

        public string? SessionId { get; init; }

        public string? Text { get; init; }

        public string? Status { get; init; }

        public string? State { get; init; }

        public string? Code { get; init; }

        public string? Message { get; init; }

        public int? RetryAfter { get; init; }

        public long? Id { get; init; }

        public bool? Private { get; init; }
    }
}
