using System.Text;
using Kindred.Core.Inner;
using Kindred.Core.Tests.TestSupport;

namespace Kindred.Core.Tests.Inner;

public sealed class SwitchAndPrivacyTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Off_means_nothing_is_stored_and_nothing_is_sent_and_she_says_so_when_back_on()
    {
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.SayAsync(companion, "remind me to stretch in 10 minutes");
        var turnsBefore = (await world.World.HistoryAsync()).Count;
        var requestsBefore = world.World.Chat.Requests.Count;

        await world.Inner.SwitchOffAsync(id, None);
        world.World.Time.Advance(TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<CompanionSwitchedOffException>(() => world.SayAsync(companion, "Off7q2 can you hear me?"));
        var whileOff = await world.Scheduler.RunOnceAsync(id, None);

        Assert.Empty(whileOff.Delivered);
        Assert.Equal(turnsBefore, (await world.World.HistoryAsync()).Count);
        Assert.Equal(requestsBefore, world.World.Chat.Requests.Count);
        Assert.Empty(world.FilesContaining("Off7q2"));
        Assert.Equal(OutreachStatus.Pending, Assert.Single(await world.World.Store.GetOutreachAsync(id, None)).Status);

        world.World.Time.Advance(TimeSpan.FromHours(1));
        var back = await world.Inner.SwitchOnAsync(id, None);
        var afterOn = await world.Scheduler.RunOnceAsync(id, None);

        Assert.NotNull(back);
        Assert.Contains("switched off since Monday 1 June, 10:00", back, StringComparison.Ordinal);
        Assert.Contains("didn't hear anything", back, StringComparison.Ordinal);
        Assert.Single(afterOn.Delivered);
        Assert.Null(await world.Inner.SwitchOnAsync(id, None));
    }

    [Fact]
    public async Task Off_survives_a_restart()
    {
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        await world.Inner.SwitchOffAsync(companion.Identity.CompanionId, None);

        await world.World.RestartAsync();

        Assert.True(await world.Inner.IsOffAsync(companion.Identity.CompanionId, None));
    }

    [Fact]
    public async Task A_private_conversation_leaves_no_trace_in_the_store()
    {
        const string Secret = "Priv9x4k";
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.SayAsync(companion, "Hello there, I'm Sam.");
        var turnsBefore = await world.World.HistoryAsync();
        var appraisalsBefore = await world.World.Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None);
        var personaBefore = await world.Inner.GetPersonaHistoryAsync(id, None);

        var conversation = new PrivateConversation(companion.Identity, world.Services);
        world.World.Chat.Says("Your secret is safe: ", "Rep1y8z", " stays here.");
        var reply = new StringBuilder();
        await foreach (var chunk in conversation.ReplyAsync($"My secret {Secret}: I'm so sad and lonely. Remind me to call Amy at nine tomorrow. Don't be so formal!"))
        {
            reply.Append(chunk);
        }

        world.World.Chat.Says("Of course.");
        await foreach (var _ in conversation.ReplyAsync("And one more thing, Priv9x4k again."))
        {
        }

        Assert.Contains("Rep1y8z", reply.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, conversation.TurnCount);
        // The second request saw the first exchange: the conversation is remembered while it lasts.
        Assert.Contains(world.World.Chat.Requests[^1].Messages, m => m.Text.Contains("Rep1y8z", StringComparison.Ordinal));
        Assert.Contains("private conversation", world.World.Chat.Requests[^1].SystemText, StringComparison.Ordinal);
        Assert.Equal(turnsBefore, await world.World.HistoryAsync());
        Assert.Equal(appraisalsBefore.Count, (await world.World.Store.GetAppraisalsAsync(id, DateTimeOffset.MinValue, None)).Count);
        Assert.Equal(personaBefore.Count, (await world.Inner.GetPersonaHistoryAsync(id, None)).Count);
        Assert.Empty(await world.World.Store.GetOutreachAsync(id, None));
        Assert.Empty(world.FilesContaining(Secret));
        Assert.Empty(world.FilesContaining("Rep1y8z"));
        Assert.Empty(world.FilesContaining("call Amy"));

        await world.World.RestartAsync();
        Assert.Empty(world.FilesContaining(Secret));
        Assert.Empty(world.FilesContaining("Rep1y8z"));
    }

    [Fact]
    public async Task A_private_conversation_is_refused_while_off()
    {
        await using var world = await InnerWorld.CreateAsync(Start);
        var companion = await world.WakeAsync();
        await world.Inner.SwitchOffAsync(companion.Identity.CompanionId, None);
        var conversation = new PrivateConversation(companion.Identity, world.Services);

        await Assert.ThrowsAsync<CompanionSwitchedOffException>(async () =>
        {
            await foreach (var _ in conversation.ReplyAsync("hello?"))
            {
            }
        });
        Assert.Equal(0, conversation.TurnCount);
    }
}
