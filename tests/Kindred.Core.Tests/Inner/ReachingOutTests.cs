using Kindred.Core.Inner;

namespace Kindred.Core.Tests.Inner;

public sealed class ReachingOutTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Saturday 28 March 2026, 20:00 in London (GMT, UTC+0). Clocks go forward to BST (UTC+1) at 01:00 UTC that night.
    private static readonly DateTimeOffset SaturdayEvening = new(2026, 3, 28, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_reminder_fires_once_at_the_right_local_time_across_a_DST_change_and_a_restart()
    {
        await using var world = await InnerWorld.CreateAsync(SaturdayEvening);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;

        await world.SayAsync(companion, "Remind me to call Amy at nine tomorrow", "I will!");

        var reminder = Assert.Single(await world.World.Store.GetPendingOutreachAsync(id, None));
        Assert.Equal(OutreachKind.Reminder, reminder.Kind);
        Assert.Equal("You asked me to remind you: call Amy.", reminder.Text);
        // 09:00 BST on Sunday is 08:00 UTC, not the 09:00 UTC that adding hours to a GMT clock would give.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero), reminder.DueAt);
        Assert.Contains("Sunday 29 March at 09:00", world.World.Chat.Requests[^1].SystemText, StringComparison.Ordinal);

        world.World.Time.SetUtcNow(new DateTimeOffset(2026, 3, 29, 7, 59, 59, TimeSpan.Zero));
        var early = await world.Scheduler.RunOnceAsync(id, None);
        Assert.Empty(early.Delivered);
        Assert.Equal(reminder.DueAt, early.NextCheckAt);

        await world.World.RestartAsync();
        world.World.Time.SetUtcNow(reminder.DueAt);
        var due = await world.Scheduler.RunOnceAsync(id, None);
        var again = await world.Scheduler.RunOnceAsync(id, None);
        await world.World.RestartAsync();
        world.World.Time.Advance(TimeSpan.FromDays(1));
        var later = await world.Scheduler.RunOnceAsync(id, None);

        var delivered = Assert.Single(due.Delivered);
        Assert.Equal(reminder.Id, delivered.Item.Id);
        Assert.Equal("You asked me to remind you: call Amy.", delivered.Words);
        Assert.Empty(again.Delivered);
        Assert.Empty(later.Delivered);
        var stored = Assert.Single(await world.World.Store.GetOutreachAsync(id, None));
        Assert.Equal(OutreachStatus.Delivered, stored.Status);
        Assert.Equal(reminder.DueAt, stored.DeliveredAt);
    }

    [Fact]
    public void A_time_skipped_by_DST_moves_past_the_gap_and_a_repeated_one_is_taken_the_first_time()
    {
        var zone = LocalClock.FindZone(InnerWorld.London);

        var instant = LocalClock.ToInstant(new DateTime(2026, 3, 29, 1, 30, 0), zone);
        var ambiguous = LocalClock.ToInstant(new DateTime(2026, 10, 25, 1, 30, 0), zone);

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), instant);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), ambiguous);
    }

    [Fact]
    public async Task A_reminder_asked_for_while_away_arrives_when_the_person_is_back_and_says_it_is_late()
    {
        await using var world = await InnerWorld.CreateAsync(SaturdayEvening);
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.SayAsync(companion, "remind me to water the plants in 30 minutes");

        // The person is not connected at the due time; the scheduler only runs when they are.
        world.World.Time.Advance(TimeSpan.FromHours(2));
        var pass = await world.Scheduler.RunOnceAsync(id, None);

        var (item, words) = Assert.Single(pass.Delivered);
        Assert.Equal(SaturdayEvening.AddMinutes(30), item.DueAt);
        Assert.StartsWith("You asked me to remind you: water the plants.", words, StringComparison.Ordinal);
        Assert.Contains("That was for Saturday at 20:30", words, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiet_hours_hold_a_follow_up_until_they_end_and_then_it_comes_once()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.World.Store.SetOutreachPolicyAsync(id, new OutreachPolicy(InnerWorld.London, new TimeOnly(22, 0), new TimeOnly(7, 30), 3), None);
        // 23:00 BST on 1 June is 22:00 UTC.
        var dueAt = new DateTimeOffset(2026, 6, 1, 22, 0, 0, TimeSpan.Zero);
        await world.World.Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.FollowUp, "How did the interview go?", dueAt, world.World.Time.GetUtcNow(), null), None);

        world.World.Time.SetUtcNow(dueAt);
        var quiet = await world.Scheduler.RunOnceAsync(id, None);
        world.World.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 6, 29, 59, TimeSpan.Zero));
        var stillQuiet = await world.Scheduler.RunOnceAsync(id, None);
        world.World.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 6, 30, 0, TimeSpan.Zero));
        var morning = await world.Scheduler.RunOnceAsync(id, None);

        Assert.Empty(quiet.Delivered);
        Assert.Equal(new DateTimeOffset(2026, 6, 2, 6, 30, 0, TimeSpan.Zero), quiet.NextCheckAt);
        Assert.Empty(stillQuiet.Delivered);
        Assert.Equal("How did the interview go?", Assert.Single(morning.Delivered).Words);
    }

    [Fact]
    public async Task The_daily_limit_holds_unprompted_messages_to_the_next_day_but_not_reminders()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;
        await world.World.Store.SetOutreachPolicyAsync(id, new OutreachPolicy(InnerWorld.London, new TimeOnly(22, 0), new TimeOnly(8, 0), 1), None);
        var now = world.World.Time.GetUtcNow();
        await world.World.Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.CheckIn, "Thinking of you.", now, now, null), None);
        await world.World.Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.CheckIn, "How's the day going?", now, now, null), None);
        await world.World.Store.AddOutreachAsync(new NewOutreach(id, OutreachKind.Reminder, "You asked me to remind you: stretch.", now, now, null), None);

        var today = await world.Scheduler.RunOnceAsync(id, None);
        var stillToday = await world.Scheduler.RunOnceAsync(id, None);
        world.World.Time.SetUtcNow(new DateTimeOffset(2026, 6, 2, 7, 0, 0, TimeSpan.Zero));
        var tomorrow = await world.Scheduler.RunOnceAsync(id, None);

        Assert.Equal(2, today.Delivered.Count);
        Assert.Single(today.Delivered, d => d.Item.Kind == OutreachKind.Reminder);
        Assert.Empty(stillToday.Delivered);
        // Midnight in London, then quiet until 08:00 BST (07:00 UTC).
        Assert.Equal(new DateTimeOffset(2026, 6, 2, 7, 0, 0, TimeSpan.Zero), stillToday.NextCheckAt);
        Assert.Equal("How's the day going?", Assert.Single(tomorrow.Delivered).Words);
    }

    [Fact]
    public async Task A_plan_the_person_mentions_opens_a_thread_and_a_follow_up_that_closes_it_when_asked()
    {
        await using var world = await InnerWorld.CreateAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        var companion = await world.WakeAsync();
        var id = companion.Identity.CompanionId;

        await world.SayAsync(companion, "I have a job interview tomorrow and I'm nervous");

        var thread = Assert.Single(await world.World.Store.GetOpenThreadsAsync(id, None));
        Assert.Equal("the job interview", thread.About);
        var followUp = Assert.Single(await world.World.Store.GetPendingOutreachAsync(id, None));
        Assert.Equal(OutreachKind.FollowUp, followUp.Kind);
        Assert.Equal(new DateTimeOffset(2026, 6, 2, 18, 0, 0, TimeSpan.Zero), followUp.DueAt); // 19:00 BST

        world.World.Time.SetUtcNow(followUp.DueAt);
        var pass = await world.Scheduler.RunOnceAsync(id, None);

        Assert.Equal("How did the job interview go?", Assert.Single(pass.Delivered).Words);
        Assert.Empty(await world.World.Store.GetOpenThreadsAsync(id, None));
    }

    [Theory]
    [InlineData("remind me to call Amy at nine tomorrow", "call Amy", 2026, 3, 29, 9, 0)]
    [InlineData("Can you remind me tomorrow at 9:30pm to take my pills?", "take your pills", 2026, 3, 29, 21, 30)]
    [InlineData("remind me in 20 minutes to check the oven", "check the oven", 2026, 3, 28, 20, 20)]
    [InlineData("please remind me on Monday at 6 that I'm meeting Sam", "you're meeting Sam", 2026, 3, 30, 18, 0)]
    [InlineData("remind me at 10 to lock the door", "lock the door", 2026, 3, 28, 22, 0)]
    [InlineData("remind me tonight at nine to ring mum", "ring mum", 2026, 3, 28, 21, 0)]
    public void Reminders_are_understood_in_everyday_words(string text, string task, int year, int month, int day, int hour, int minute)
    {
        var now = new DateTime(2026, 3, 28, 20, 0, 0);

        var request = ReminderParser.Parse(text, now);

        Assert.NotNull(request);
        Assert.Equal(task, request.Task);
        Assert.Equal(new DateTime(year, month, day, hour, minute, 0), request.Local);
    }

    [Theory]
    [InlineData("remind me to call Amy")]
    [InlineData("I should call Amy at nine tomorrow")]
    [InlineData("remind me at nine")]
    public void Without_a_time_or_a_task_there_is_no_reminder(string text) =>
        Assert.Null(ReminderParser.Parse(text, new DateTime(2026, 3, 28, 20, 0, 0)));
}
