using System.Net.Http.Json;
using System.Net.WebSockets;
using Kindred.Server.Companions;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

/// <summary>
/// Talking over the live WebSocket: flite's speech of a known sentence streamed in PCM frames is heard, answered and
/// spoken back as WAV files; speech over a reply cuts it off; bad audio gets a clear error and the conversation goes
/// on. Every wait is on a message, never on time.
/// </summary>
public sealed class VoiceConversationTests : IAsyncLifetime, IDisposable
{
    private const string Sentence = "what time is it now";
    private readonly EndlessChatClient _chat = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: _chat);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _chat.Dispose();

    [Fact]
    public async Task Hands_free_speech_streamed_in_frames_is_heard_answered_and_spoken_back_as_wav_files()
    {
        var (client, companionId, socket) = await ConnectAsync();
        using var _ = client;
        using var __ = socket;

        await socket.SendAsync(new { type = "voice_start", sampleRate = 48_000, mode = "handsfree" });
        Assert.Equal("listening", (await socket.ReceiveFrameAsync()).Type);
        await socket.SendAudioAsync(await VoiceClient.SpeechAsync(Sentence, 48_000, TimeSpan.FromSeconds(1)), 48_000);
        var frames = await socket.ReceiveUntilAsync("audio_done");

        var types = frames.Select(f => f.Type).ToList();
        Assert.Equal("speech_started", types[0]);
        Assert.Equal("transcript", types[1]);
        Assert.Equal(Sentence, frames[1].Message!.Value.GetProperty("text").GetString());
        var tokens = frames.Where(f => f.Type == "token").Select(f => f.Message!.Value.GetProperty("text").GetString());
        Assert.Equal("Fine, thanks.", string.Concat(tokens));
        Assert.Equal("complete", frames.Single(f => f.Type == "done").Message!.Value.GetProperty("status").GetString());
        var audio = frames.Where(f => f.Audio is not null).Select(f => VoiceClient.Wav(f.Audio!)).ToList();
        Assert.NotEmpty(audio);
        Assert.All(audio, wav => Assert.True(wav.Duration > TimeSpan.FromMilliseconds(300), $"A sentence of {wav.Duration} is too short to be speech."));
        Assert.True(types.IndexOf("transcript") < types.IndexOf("token"), "The transcript comes before the reply.");

        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companionId}/history");
        Assert.Equal((Sentence, "Fine, thanks."), (history!.Turns[1].Text, history.Turns[2].Text));
    }

    [Fact]
    public async Task Hold_to_talk_ends_the_utterance_when_the_button_is_released()
    {
        var (client, _, socket) = await ConnectAsync();
        using var _1 = client;
        using var _2 = socket;

        await socket.SendAsync(new { type = "voice_start", sampleRate = 16_000, mode = "hold" });
        Assert.Equal("listening", (await socket.ReceiveFrameAsync()).Type);
        // No silence after the speech: only the release can end this turn.
        await socket.SendAudioAsync(await VoiceClient.SpeechAsync(Sentence, 16_000, TimeSpan.Zero), 16_000);
        await socket.SendAsync(new { type = "voice_end" });
        var frames = await socket.ReceiveUntilAsync("audio_done");

        Assert.Equal(Sentence, frames.Single(f => f.Type == "transcript").Message!.Value.GetProperty("text").GetString());
        Assert.Contains(frames, f => f.Audio is not null);
        Assert.Equal("complete", frames.Single(f => f.Type == "done").Message!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Speech_over_a_reply_interrupts_it_and_the_cut_off_reply_is_stored_as_interrupted()
    {
        var (client, companionId, socket) = await ConnectAsync();
        using var _1 = client;
        using var _2 = socket;
        await socket.SendAsync(new { type = "voice_start", sampleRate = 16_000, mode = "handsfree" });
        Assert.Equal("listening", (await socket.ReceiveFrameAsync()).Type);
        await socket.SendAsync(new { type = "say", text = "Tell me a story that goes on forever." });
        Assert.Equal("Once", (await socket.ReceiveFrameAsync()).Message!.Value.GetProperty("text").GetString());

        await socket.SendAudioAsync(await VoiceClient.SpeechAsync(Sentence, 16_000, TimeSpan.FromSeconds(1)), 16_000);
        var cutOff = await socket.ReceiveUntilAsync("audio_done");
        await _chat.WaitForCancellationAsync();
        var answer = await socket.ReceiveUntilAsync("audio_done");

        Assert.Equal(["speech_started", "done", "audio_done"], cutOff.Select(f => f.Type));
        Assert.Equal("interrupted", cutOff[1].Message!.Value.GetProperty("status").GetString());
        Assert.Equal(Sentence, answer.Single(f => f.Type == "transcript").Message!.Value.GetProperty("text").GetString());
        Assert.Contains(answer, f => f.Audio is not null);
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companionId}/history");
        Assert.Equal(("companion", "Once", "interrupted"), (history!.Turns[2].Speaker, history.Turns[2].Text, history.Turns[2].Status));
        Assert.Equal(Sentence, history.Turns[3].Text);
    }

    [Fact]
    public async Task A_pause_shorter_than_the_window_then_more_speech_is_one_turn_and_the_early_answer_is_withdrawn()
    {
        var (client, companionId, socket) = await ConnectAsync();
        using var _1 = client;
        using var _2 = socket;
        await socket.SendAsync(new { type = "voice_start", sampleRate = 16_000, mode = "handsfree" });
        Assert.Equal("listening", (await socket.ReceiveFrameAsync()).Type);

        // The first part ends the turn early (200 ms of silence) and its endless answer begins...
        await socket.SendAudioAsync(await VoiceClient.SpeechAsync("tell me a story that goes on forever", 16_000, TimeSpan.FromMilliseconds(300)), 16_000);
        var early = await socket.ReceiveUntilAsync("token");
        var earlyWords = early.Single(f => f.Type == "transcript").Message!.Value.GetProperty("text").GetString()!;
        // ...then the person goes on, within the window (stream time: the wait for the token above does not count).
        await socket.SendAudioAsync(await VoiceClient.SpeechAsync("what time is it now", 16_000, TimeSpan.FromSeconds(1)), 16_000);
        var withdrawn = await socket.ReceiveUntilAsync("withdrawn");
        var whole = await socket.ReceiveUntilAsync("token");
        await socket.SendAsync(new { type = "interrupt" });
        await socket.ReceiveUntilAsync("audio_done");
        // A typed turn after it, which the store keeps after the interrupted reply: history is complete once it is done.
        await socket.SendAsync(new { type = "say", text = "Hello again." });
        await socket.ReceiveUntilAsync("audio_done");

        Assert.Equal(["speech_started", "done", "audio_done", "withdrawn"], withdrawn.Select(f => f.Type));
        Assert.Equal("withdrawn", withdrawn[1].Message!.Value.GetProperty("status").GetString());
        var wholeWords = whole.Single(f => f.Type == "transcript").Message!.Value.GetProperty("text").GetString()!;
        Assert.StartsWith(earlyWords, wholeWords, StringComparison.Ordinal);
        Assert.EndsWith("time is it now", wholeWords, StringComparison.Ordinal);
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companionId}/history");
        Assert.Equal(
            [("person", wholeWords, "complete"), ("companion", "Once", "interrupted"), ("person", "Hello again.", "complete"), ("companion", "Fine, thanks.", "complete")],
            history!.Turns.Skip(1).Select(t => (t.Speaker, t.Text, t.Status)));
    }

    [Fact]
    public async Task Speech_after_the_window_is_a_barge_in_and_both_turns_are_kept()
    {
        var (client, companionId, socket) = await ConnectAsync();
        using var _1 = client;
        using var _2 = socket;
        await socket.SendAsync(new { type = "voice_start", sampleRate = 16_000, mode = "handsfree" });
        Assert.Equal("listening", (await socket.ReceiveFrameAsync()).Type);

        await socket.SendAudioAsync(await VoiceClient.SpeechAsync("tell me a story that goes on forever", 16_000, TimeSpan.FromSeconds(1.5)), 16_000);
        var first = await socket.ReceiveUntilAsync("token");
        await socket.SendAudioAsync(await VoiceClient.SpeechAsync(Sentence, 16_000, TimeSpan.FromSeconds(1)), 16_000);
        var cutOff = await socket.ReceiveUntilAsync("audio_done");
        var answer = await socket.ReceiveUntilAsync("audio_done");

        Assert.Equal(["speech_started", "done", "audio_done"], cutOff.Select(f => f.Type));
        Assert.Equal("interrupted", cutOff[1].Message!.Value.GetProperty("status").GetString());
        Assert.Equal(Sentence, answer.Single(f => f.Type == "transcript").Message!.Value.GetProperty("text").GetString());
        var firstWords = first.Single(f => f.Type == "transcript").Message!.Value.GetProperty("text").GetString()!;
        var history = await client.GetFromJsonAsync<HistoryPage>($"/api/companions/{companionId}/history");
        Assert.Equal(
            [("person", firstWords, "complete"), ("companion", "Once", "interrupted"), ("person", Sentence, "complete"), ("companion", "Fine, thanks.", "complete")],
            history!.Turns.Skip(1).Select(t => (t.Speaker, t.Text, t.Status)));
    }

    [Fact]
    public async Task Bad_audio_gets_a_clear_error_and_the_conversation_goes_on()
    {
        var (client, _, socket) = await ConnectAsync();
        using var _1 = client;
        using var _2 = socket;

        await socket.SendAsync(new byte[640], WebSocketMessageType.Binary, true, CancellationToken.None);
        await AssertBadAudioAsync(socket, "voice_start");
        await socket.SendAsync(new { type = "voice_start", sampleRate = 4_000, mode = "hold" });
        await AssertBadAudioAsync(socket, "4000 Hz");
        await socket.SendAsync(new { type = "voice_start", sampleRate = 16_000, mode = "whenever" });
        await AssertBadAudioAsync(socket, "mode");

        await socket.SendAsync(new { type = "voice_start", sampleRate = 8_000, mode = "hold" });
        Assert.Equal("listening", (await socket.ReceiveFrameAsync()).Type);
        await socket.SendAsync(new byte[641], WebSocketMessageType.Binary, true, CancellationToken.None);
        await AssertBadAudioAsync(socket, "even number of bytes");
        await socket.SendAsync(new byte[300 * 1024], WebSocketMessageType.Binary, true, CancellationToken.None);
        await AssertBadAudioAsync(socket, "larger than");
        // Held down a tenth of a second longer than one turn may last.
        await socket.SendAudioAsync(new short[(8_000 * 60) + 800], 8_000);
        await AssertBadAudioAsync(socket, "longer than 60 seconds");

        await socket.SendAsync(new { type = "status" });
        Assert.Equal("idle", (await socket.ReceiveFrameAsync()).Message!.Value.GetProperty("state").GetString());
    }

    private static async Task AssertBadAudioAsync(ClientWebSocket socket, string says)
    {
        var error = (await socket.ReceiveFrameAsync()).Message!.Value;
        Assert.Equal(("error", "bad_audio"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains(says, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<(HttpClient Client, string CompanionId, ClientWebSocket Socket)> ConnectAsync()
    {
        var client = await _server.SignedInClientAsync();
        var companion = await TestServer.CreateCompanionAsync(client);
        var socket = await _server.ConnectLiveAsync(client, companion.CompanionId);
        Assert.Equal("ready", (await socket.ReceiveFrameAsync()).Type);
        return (client, companion.CompanionId, socket);
    }
}
