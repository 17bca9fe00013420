using Kindred.Core.Inner;
using Kindred.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kindred.Server.Inner;

/// <summary>
/// The inner life every companion on this silo shares: appraisal, the evolving persona, reminders and the switch
/// (<see cref="Life"/>), reflection, and outreach scheduling. All of it is state in the store (SQLite or PostgreSQL), so
/// any silo can serve any companion.
/// </summary>
internal sealed class ServerInnerLife
{
    public ServerInnerLife(CompanionBackend backend, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Time = backend.Clock ?? TimeProvider.System;
        Options = backend.Inner ?? new InnerLifeOptions();
        Store = backend.Store;
        Life = new InnerLife(Store, backend.Chat, Time, Options, loggers.CreateLogger<InnerLife>());
        Scheduler = new OutreachScheduler(Store, Time, Options);
        Reflector = new Reflector(Store, Store, Store, Life, backend.Chat, Time, Options);
    }

    public TimeProvider Time { get; }

    public InnerLifeOptions Options { get; }

    /// <summary>The store every part of the inner life keeps its state in.</summary>
    public IFullCompanionStore Store { get; }

    public InnerLife Life { get; }

    public OutreachScheduler Scheduler { get; }

    public Reflector Reflector { get; }
}

/// <summary>Registers the inner life and outreach delivery.</summary>
internal static class InnerLifeServices
{
    public static IServiceCollection AddKindredInnerLife(this IServiceCollection services)
    {
        services.AddSingleton<ServerInnerLife>();
        services.AddSingleton<OutreachHub>();
        return services;
    }
}
