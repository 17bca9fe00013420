namespace Kindred.Memory.Knowledge;

/// <summary>
/// Where a mention of someone lands among the people already known, decided the same way by every store: the known
/// person it names (by name or alias, ignoring case) with the aliases and relation it adds, or someone new.
/// </summary>
/// <param name="Index">The known person's position in the list handed in; -1 for someone new.</param>
/// <param name="Name">The known person's name, or the new person's.</param>
/// <param name="Aliases">Every alias after the mention, never repeating the name.</param>
/// <param name="Relation">The mention's relation when it gives one, otherwise the known one.</param>
/// <param name="Changed">Whether the store has anything to write: someone new, a new alias or a different relation.</param>
internal sealed record PersonMention(int Index, string Name, IReadOnlyList<string> Aliases, string? Relation, bool Changed)
{
    public bool IsNew => Index < 0;

    /// <param name="clean">How the store cleans a name before keeping it (trimming, and whatever its database refuses).</param>
    public static PersonMention Resolve(List<KnownPerson> people, string name, IReadOnlyList<string> aliases, string? relation, Func<string, string> clean)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(aliases);
        ArgumentNullException.ThrowIfNull(clean);
        name = clean(name);
        var names = aliases.Select(clean).Where(a => a.Length > 0).Prepend(name).ToList();
        relation = string.IsNullOrWhiteSpace(relation) ? null : clean(relation);
        var index = people.FindIndex(p => p.AllNames.Any(known => names.Any(n => Names.Same(known, n))));

        if (index < 0)
        {
            var newAliases = names.Skip(1).Distinct(StringComparer.OrdinalIgnoreCase).Where(a => !Names.Same(a, name)).ToList();
            return new PersonMention(-1, name, newAliases, relation, Changed: true);
        }

        var known = people[index];
        var merged = known.Aliases.Concat(names).Distinct(StringComparer.OrdinalIgnoreCase).Where(a => !Names.Same(a, known.Name)).ToList();
        var mergedRelation = relation ?? known.Relation;
        return new PersonMention(index, known.Name, merged, mergedRelation, merged.Count != known.Aliases.Count || !Names.Same(mergedRelation, known.Relation));
    }
}
