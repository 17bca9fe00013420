using Kindred.Core.Inner;
using Kindred.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Kindred.Server.Inner;

/// <summary>
/// The inner life the routes read and change (persona, moods, reminders, reflections, the switch's state), from the
/// one wiring of a companion's life. All of it is state in the store (SQLite or PostgreSQL), so any silo can serve any
/// companion; what a companion says goes through its grain.
/// </summary>
internal sealed class ServerInnerLife(InnerLife life, OutreachScheduler scheduler, IFullCompanionStore store, CompanionBackend backend)
{
    public TimeProvider Time { get; } = backend.Clock ?? TimeProvider.System;

    /// <summary>The store every part of the inner life keeps its state in.</summary>
    public IFullCompanionStore Store => store;

    public InnerLife Life => life;

    public OutreachScheduler Scheduler => scheduler;
}

/// <summary>Registers the inner life's routes' view of it (outreach delivery lives in each companion's grain).</summary>
internal static class InnerLifeServices
{
    public static IServiceCollection AddKindredInnerLife(this IServiceCollection services)
    {
        services.AddSingleton<ServerInnerLife>();
        return services;
    }
}
