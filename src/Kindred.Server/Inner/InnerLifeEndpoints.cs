using System.Globalization;
using Kindred.Core;
using Kindred.Core.Inner;
using Kindred.Server.Companions;
using Kindred.Server.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Kindred.Server.Inner;

/// <summary>
/// A companion's inner life over the API: who she is becoming (persona, its history, rollback), how the person has
/// seemed (mood), what she made of each day (reflections), what she will say unprompted (reminders, queued outreach,
/// when she may reach out) and the switch. Per companion, behind the same owned-companion filter as everything else.
/// </summary>
internal static class InnerLifeEndpoints
{
    private const int MaxReminderLength = 500;

    public static void MapInnerLife(this IEndpointRouteBuilder app)
    {
        var one = app.MapGroup("/api/companions/{companionId}").WithTags("Inner life").RequireAuthorization().RequireRateLimiting(RateLimits.PerAccount)
            .AddEndpointFilter<OwnedCompanionFilter>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapGet("/persona", PersonaAsync).WithName("GetPersona");
        one.MapGet("/persona/history", PersonaHistoryAsync).WithName("GetPersonaHistory");
        one.MapPost("/persona/rollback", RollBackAsync).WithName("RollBackPersona");
        one.MapGet("/mood", MoodAsync).WithName("GetMood");
        one.MapGet("/reflections", ReflectionsAsync).WithName("ListReflections");
        one.MapGet("/reminders", RemindersAsync).WithName("ListReminders");
        one.MapPost("/reminders", AddReminderAsync).WithName("AddReminder");
        one.MapDelete("/reminders/{reminderId:long}", CancelReminderAsync).WithName("CancelReminder");
        one.MapGet("/outreach-settings", SettingsAsync).WithName("GetOutreachSettings");
        one.MapPut("/outreach-settings", ChangeSettingsAsync).WithName("ChangeOutreachSettings");
        one.MapGet("/outreach", QueuedAsync).WithName("ListQueuedOutreach");
        one.MapGet("/switch", SwitchAsync).WithName("GetSwitch");
        one.MapPut("/switch", FlipAsync).WithName("SetSwitch");
    }

    private static async Task<Ok<PersonaView>> PersonaAsync(string companionId, ServerInnerLife inner, CancellationToken cancellationToken)
    {
        var history = await inner.Life.GetPersonaHistoryAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(PersonaView.From(history[^1]));
    }

    private static async Task<Ok<List<PersonaChangeView>>> PersonaHistoryAsync(string companionId, ServerInnerLife inner, CancellationToken cancellationToken)
    {
        var history = await inner.Life.GetPersonaHistoryAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(history.Select((v, i) => View(v, i == 0 ? null : history[i - 1])).ToList());
    }

    private static async Task<Results<Ok<PersonaChangeView>, ValidationProblem>> RollBackAsync(
        string companionId, RollbackRequest request, ServerInnerLife inner, CancellationToken cancellationToken)
    {
        if (request.Version is not { } version)
        {
            return Invalid("version", "Say which change to undo: {\"version\": N}, from GET .../persona/history.");
        }

        try
        {
            var before = (await inner.Life.GetPersonaHistoryAsync(companionId, cancellationToken).ConfigureAwait(false))[^1];
            var rolledBack = await inner.Life.RollBackAsync(companionId, version, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(View(rolledBack, before));
        }
        catch (ArgumentException ex)
        {
            return Invalid("version", ex.Message.Replace("'kindred persona history'", "GET .../persona/history", StringComparison.Ordinal));
        }
    }

    /// <param name="days">How many days back, ending today (default 7, range 1–366).</param>
    private static async Task<Results<Ok<List<MoodDayView>>, ValidationProblem>> MoodAsync(
        string companionId, ServerInnerLife inner, CancellationToken cancellationToken, int days = 7)
    {
        if (days is < 1 or > 366)
        {
            return Invalid("days", "days is 1–366.");
        }

        var timeline = await inner.Life.GetTimelineAsync(companionId, TimeSpan.FromDays(days), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(timeline.Select(d => new MoodDayView(d.Day, d.MeanValence, d.MeanArousal, d.Emotions, d.Turns)).ToList());
    }

    private static async Task<Ok<List<ReflectionView>>> ReflectionsAsync(string companionId, ServerInnerLife inner, CancellationToken cancellationToken)
    {
        var reflections = await inner.Store.GetInnerReflectionsAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(reflections.Select(r => new ReflectionView(
            r.Id,
            r.Reflection.At,
            PersonaView.Name(r.Reflection.Trigger),
            r.Reflection.Summary,
            r.Reflection.Insights,
            r.Reflection.AboutHerself,
            PersonaView.Name(r.Reflection.Source),
            r.Reflection.PersonaVersion)).ToList());
    }

    /// <param name="all">False (default): what is still to come. True: everything, delivered and cancelled too.</param>
    private static async Task<Ok<List<OutreachView>>> RemindersAsync(string companionId, ServerInnerLife inner, CancellationToken cancellationToken, bool all = false)
    {
        var zone = await ZoneAsync(companionId, inner, cancellationToken).ConfigureAwait(false);
        var items = all
            ? await inner.Store.GetOutreachAsync(companionId, cancellationToken).ConfigureAwait(false)
            : await inner.Store.GetPendingOutreachAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(items.Select(i => OutreachView.From(i, zone)).ToList());
    }

    private static async Task<Results<Created<OutreachView>, ValidationProblem, ProblemHttpResult>> AddReminderAsync(
        string companionId, NewReminderRequest request, ServerInnerLife inner, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await inner.Life.IsOffAsync(companionId, cancellationToken).ConfigureAwait(false))
        {
            return TypedResults.Problem(title: "She is switched off.", detail: new Contracts.CompanionOffException().Message, statusCode: StatusCodes.Status409Conflict);
        }

        var text = request.Text?.Trim() ?? "";
        if (text.Length is 0 or > MaxReminderLength)
        {
            return Invalid("text", $"Say what to remind of, in 1–{MaxReminderLength} characters.");
        }

        var now = inner.Time.GetUtcNow();
        var zone = await ZoneAsync(companionId, inner, cancellationToken).ConfigureAwait(false);
        var localNow = LocalClock.ToLocal(now, zone);
        ReminderRequest? asked;
        if (request.At is { } at)
        {
            if (!DateTime.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) || local.Kind != DateTimeKind.Unspecified)
            {
                return Invalid("at", "at is a time on the person's clock without an offset, such as 2026-11-27T09:00.");
            }

            asked = new ReminderRequest(text.TrimEnd('.'), local);
        }
        else
        {
            asked = ReminderParser.Parse(text, localNow) ?? ReminderParser.Parse("remind me to " + text, localNow);
            if (asked is null)
            {
                return Invalid("text", "Say when, e.g. \"call Amy at nine tomorrow\", or give \"at\" as 2026-11-27T09:00.");
            }
        }

        if (asked.Local <= localNow)
        {
            return Invalid("at", "That time has passed; a reminder must be in the future.");
        }

        var item = await inner.Store.AddOutreachAsync(
            new NewOutreach(companionId, OutreachKind.Reminder, $"You asked me to remind you: {asked.Task}.", LocalClock.ToInstant(asked.Local, zone), now, null),
            cancellationToken).ConfigureAwait(false);

        // A person connected now hears it on time: their companion's timer is re-armed before this answers.
        await grains.GetGrain<ICompanionGrain>(companionId).WakeOutreachAsync().ConfigureAwait(false);
        return TypedResults.Created($"/api/companions/{companionId}/reminders/{item.Id}", OutreachView.From(item, zone));
    }

    private static async Task<Results<NoContent, NotFound>> CancelReminderAsync(string companionId, long reminderId, ServerInnerLife inner, CancellationToken cancellationToken) =>
        await inner.Store.CancelOutreachAsync(companionId, reminderId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();

    private static async Task<Ok<OutreachSettings>> SettingsAsync(string companionId, ServerInnerLife inner, CancellationToken cancellationToken) =>
        TypedResults.Ok(OutreachSettings.From(await inner.Life.GetPolicyAsync(companionId, cancellationToken).ConfigureAwait(false)));

    private static async Task<Results<Ok<OutreachSettings>, ValidationProblem>> ChangeSettingsAsync(
        string companionId, OutreachSettings request, ServerInnerLife inner, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var current = await inner.Life.GetPolicyAsync(companionId, cancellationToken).ConfigureAwait(false);
        TimeOnly quietFrom = current.QuietFrom, quietUntil = current.QuietUntil;
        if ((request.QuietFrom is { } from && !TryTime(from, out quietFrom)) || (request.QuietUntil is { } until && !TryTime(until, out quietUntil)))
        {
            return Invalid("quietFrom", "Quiet hours are local times as HH:mm, such as 22:00 and 08:00.");
        }

        var policy = new OutreachPolicy(request.TimeZone?.Trim() ?? current.TimeZoneId, quietFrom, quietUntil, request.DailyLimit ?? current.DailyLimit);
        try
        {
            policy.Validate();
        }
        catch (ArgumentException ex)
        {
            return Invalid(request.DailyLimit is < 0 or > 24 ? "dailyLimit" : "timeZone", ex.Message);
        }

        await inner.Store.SetOutreachPolicyAsync(companionId, policy, cancellationToken).ConfigureAwait(false);
        await grains.GetGrain<ICompanionGrain>(companionId).WakeOutreachAsync().ConfigureAwait(false);
        return TypedResults.Ok(OutreachSettings.From(policy));
    }

    /// <summary>Messages that are due and wait for the person to connect (on the live WebSocket).</summary>
    private static async Task<Ok<List<OutreachView>>> QueuedAsync(string companionId, ServerInnerLife inner, CancellationToken cancellationToken)
    {
        var zone = await ZoneAsync(companionId, inner, cancellationToken).ConfigureAwait(false);
        var now = inner.Time.GetUtcNow();
        var pending = await inner.Store.GetPendingOutreachAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(pending.Where(i => i.DueAt <= now).Select(i => OutreachView.From(i, zone)).ToList());
    }

    private static async Task<Ok<SwitchView>> SwitchAsync(string companionId, ServerInnerLife inner, CancellationToken cancellationToken)
    {
        var state = await inner.Store.GetSwitchAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SwitchView(!state.IsOff, state.Since));
    }

    private static async Task<Results<Ok<SwitchView>, ValidationProblem>> FlipAsync(
        string companionId, SwitchRequest request, ServerInnerLife inner, IGrainFactory grains, ILogger<ServerInnerLife> logger, CancellationToken cancellationToken)
    {
        if (request.On is not { } on)
        {
            return Invalid("on", "Say {\"on\": true} or {\"on\": false}.");
        }

        string? said = null;
        if (on)
        {
            // She says so, and remembers having said it (through her one owner), as in the terminal.
            said = await grains.GetGrain<ICompanionGrain>(companionId).SwitchOnAsync(CompanionEndpoints.ApiSession, cancellationToken).ConfigureAwait(false);
            if (said is not null)
            {
                InnerServerLog.Switched(logger, companionId, "on");
                await grains.GetGrain<ICompanionGrain>(companionId).WakeOutreachAsync().ConfigureAwait(false);
            }
        }
        else
        {
            await grains.GetGrain<ICompanionGrain>(companionId).SwitchOffAsync(cancellationToken).ConfigureAwait(false);
            InnerServerLog.Switched(logger, companionId, "off");
        }

        var state = await inner.Store.GetSwitchAsync(companionId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SwitchView(!state.IsOff, state.Since, said));
    }

    private static PersonaChangeView View(PersonaVersion version, PersonaVersion? before) => new(
        version.Version,
        version.At,
        PersonaView.Name(version.Kind),
        version.Reason,
        before is null ? null : version.Persona.DescribeChangeFrom(before.Persona),
        version.RevertsVersion,
        PersonaView.From(version));

    private static async Task<TimeZoneInfo> ZoneAsync(string companionId, ServerInnerLife inner, CancellationToken cancellationToken) =>
        (await inner.Life.GetPolicyAsync(companionId, cancellationToken).ConfigureAwait(false)).Validate();

    private static bool TryTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
