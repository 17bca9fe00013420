using System.Text.RegularExpressions;
using Kindred.Core;

namespace Kindred.Memory.Knowledge;

/// <summary>
/// The person's working and living life, from their own words: where they work (and when they stop: a new workplace,
/// or leaving one, closes the old fact), what they do, where they study, where they live and come from, and their age.
/// Every rule wants the person speaking of themselves in the present ("I work at", "I'm a nurse", "I've moved to");
/// a job counts only when it is a known occupation, and a workplace only when it is named or is a kind of workplace
/// ("the library"), so that "I'm a big fan" or "I work at the weekend" teach nothing.
/// </summary>
public sealed partial class BuiltInExtractor
{
    private const string WorkplaceAttribute = "workplace";
    private const string OccupationAttribute = "occupation";

    // Values that say the person has no workplace now (so a "quit my job" after them has nothing to close).
    private const string NoJob = "no job";
    private const string Retired = "retired";
    private const string NoLongerAt = "no longer at ";

    // Words before an occupation that say how good, how keen or how former, not what the person does.
    private static readonly HashSet<string> NotJobModifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "good", "bad", "terrible", "great", "decent", "lousy", "better", "worse", "amazing", "awful", "keen", "amateur",
        "pretty", "really", "very", "huge", "big", "little", "bit", "home", "wannabe", "aspiring", "former", "ex",
        "retired", "failed", "frustrated", "hard", "would-be", "future", "trainee-to-be", "fan", "fake", "born",
    };

    /// <summary>The workplace a "quit" or "left" can close: the current one, if it names a place.</summary>
    private static string? CurrentWorkplace(IReadOnlyList<StoredFact> facts) =>
        facts.LastOrDefault(f => f.Subject == FactSubject.Person && f.Attribute == WorkplaceAttribute) is { } fact && IsWorkplace(fact.Value)
            ? fact.Value
            : null;

    private static bool IsWorkplace(string value) =>
        value is not (NoJob or Retired) && !value.StartsWith(NoLongerAt, StringComparison.OrdinalIgnoreCase);

    private static void ReadLife(string sentence, long turnId, List<ExtractedFact> facts, ref string? workplace)
    {
        ReadLeaving(sentence, turnId, facts, ref workplace);

        foreach (var work in new[] { WorksAt(), StartedAt() }.Select(rule => rule.Match(sentence)).Where(m => m.Success))
        {
            AddWorkplace(work.Groups["org"].Value, turnId, facts, ref workplace);
        }

        var job = Occupation().Match(sentence);
        if (!job.Success || !IsOccupation(job.Groups["job"].Value))
        {
            job = WorksAs().Match(sentence);
        }

        if (job.Success)
        {
            var occupation = job.Groups["job"].Value.ToLowerInvariant();
            facts.Add(Fact(OccupationAttribute, occupation, $"They work as {Article(occupation)} {occupation}.", turnId));
            if (job.Groups["org"].Success)
            {
                if (occupation.EndsWith("student", StringComparison.Ordinal))
                {
                    var school = Trim(job.Groups["org"].Value);
                    facts.Add(Fact("school", Bare(school), $"They study at {school}.", turnId));
                }
                else
                {
                    AddWorkplace(job.Groups["org"].Value, turnId, facts, ref workplace);
                }
            }
        }

        if (StudiesAt().Match(sentence) is { Success: true } study)
        {
            var school = Trim(study.Groups["org"].Value);
            facts.Add(Fact("school", Bare(school), $"They study at {school}.", turnId));
        }

        if (LivesIn().Match(sentence) is { Success: true } home)
        {
            var place = Trim(home.Groups["place"].Value);
            facts.Add(Fact("home", place, $"They live in {place}.", turnId));
        }
        else if (MovedTo().Match(sentence) is { Success: true } move)
        {
            var place = Trim(move.Groups["place"].Value);
            facts.Add(Fact("home", place, $"They moved to {place}.", turnId));
        }

        if (ComesFrom().Match(sentence) is { Success: true } origin)
        {
            var place = Trim(origin.Groups["place"].Value);
            facts.Add(Fact("hometown", place, $"They are from {place}.", turnId));
        }

        if (Age().Match(sentence) is { Success: true } age && int.TryParse(age.Groups["age"].Value, out var years) && years is > 0 and < 120)
        {
            facts.Add(Fact("age", years.ToString(System.Globalization.CultureInfo.InvariantCulture), $"They are {years}.", turnId));
        }
    }

    // "I quit Acme", "I was laid off", "I'm retired": the workplace fact gets a value that closes the one before it.
    private static void ReadLeaving(string sentence, long turnId, List<ExtractedFact> facts, ref string? workplace)
    {
        if (RetiredNow().IsMatch(sentence))
        {
            facts.Add(Fact(WorkplaceAttribute, Retired, "They are retired.", turnId));
            workplace = null;
            return;
        }

        if (OutOfWork().IsMatch(sentence))
        {
            facts.Add(Fact(WorkplaceAttribute, NoJob, "They are out of work.", turnId));
            workplace = null;
            return;
        }

        if (LeftJob().Match(sentence) is not { Success: true } left)
        {
            return;
        }

        string? org = left.Groups["org"].Success ? Trim(left.Groups["org"].Value) : null;

        // "I left Paris" is not about work: a bare "quit"/"left" closes only the workplace already known.
        var aboutWork = left.Groups["sure"].Success || org is null || (workplace is not null && Names.Same(Bare(org), Bare(workplace)));
        if (!aboutWork)
        {
            return;
        }

        org ??= workplace;
        facts.Add(org is null
            ? Fact(WorkplaceAttribute, NoJob, "They left their job.", turnId)
            : Fact(WorkplaceAttribute, NoLongerAt + Bare(org), $"They no longer work at {org}.", turnId));
        workplace = null;
    }

    private static void AddWorkplace(string said, long turnId, List<ExtractedFact> facts, ref string? workplace)
    {
        var place = Trim(said);
        if (facts.Any(f => f.TurnId == turnId && f.Attribute == WorkplaceAttribute && Names.Same(f.Value, Bare(place))))
        {
            return;
        }

        facts.Add(Fact(WorkplaceAttribute, Bare(place), $"They work at {place}.", turnId));
        workplace = Bare(place);
    }

    private static ExtractedFact Fact(string attribute, string value, string text, long turnId) =>
        new(FactSubject.Person, attribute, value, text, null, turnId);

    private static bool IsOccupation(string phrase)
    {
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && !words.SkipLast(1).Any(NotJobModifiers.Contains);
    }

    // The value without its article, so "the Central Library" and "Central Library" are one workplace.
    private static string Bare(string place) => ArticleStart().Replace(place, string.Empty);

    private static string Article(string noun) => "aeiou".Contains(noun[0], StringComparison.Ordinal) ? "an" : "a";

    private const string Me = @"\b(?:I|(?i:i))";
    private const string Now = @"(?:(?i:now|currently|still|also|actually|just|finally|recently|officially)\s+)?";

    // A named organisation ("Acme Robotics", "the Central Library", "St Mary's") or a kind of workplace ("a hospital").
    private const string NamedOrg = @"(?:(?i:the)\s+)?\p{Lu}[\w&'’.-]*(?:\s+(?:\p{Lu}[\w&'’.-]*|&|of|de|for(?=\s+\p{Lu})))*";

    private const string WorkplaceKinds =
        "library|hospital|school|primary school|secondary school|high school|college|university|uni|bank|bakery|cafe|café|" +
        "coffee shop|shop|store|supermarket|restaurant|pub|bar|hotel|factory|clinic|surgery|practice|office|pharmacy|" +
        "museum|gallery|warehouse|garage|gym|church|station|airport|council|farm|lab|laboratory|firm|law firm|startup|" +
        "start-up|company|charity|nursery|care home|nursing home|hospice|newspaper|magazine|publisher|agency|studio|" +
        "theatre|theater|cinema|call centre|call center|fire station|police station|post office|bookshop|bookstore|" +
        "hair salon|salon|vet|vets|kitchen|mill|mine|plant|site|shipyard|port|consultancy|government|army|navy|" +
        "air force|military|police|ministry|department|hospital trust|trust|bank branch|retailer|brewery|winery|zoo";

    private const string KindOfWorkplace = @"(?i:a|an|the|my)\s+(?:[a-z-]+\s+){0,2}?(?i:" + WorkplaceKinds + @")\b";
    private const string Org = "(?<org>" + NamedOrg + "|" + KindOfWorkplace + ")";

    private const string Occupations =
        "accountant|actor|actress|administrator|analyst|animator|apprentice|architect|artist|assistant|au pair|author|baker|" +
        "banker|barber|barista|barrister|bartender|beautician|bookkeeper|bricklayer|broker|builder|butcher|carer|caregiver|" +
        "caretaker|carpenter|cashier|chef|chemist|childminder|civil servant|cleaner|clerk|coach|composer|conductor|" +
        "consultant|cook|copywriter|counsellor|counselor|courier|dancer|decorator|dentist|designer|detective|developer|" +
        "dietitian|director|doctor|driver|economist|editor|electrician|engineer|entrepreneur|estate agent|farmer|" +
        "firefighter|fisherman|flight attendant|florist|freelancer|gardener|geologist|graphic designer|guard|hairdresser|" +
        "headteacher|historian|homemaker|housekeeper|househusband|housewife|illustrator|instructor|intern|interpreter|" +
        "janitor|journalist|judge|labourer|laborer|lawyer|lecturer|librarian|lifeguard|machinist|manager|marketer|" +
        "mathematician|mechanic|midwife|miner|minister|musician|nanny|nurse|nutritionist|optician|optometrist|painter|" +
        "paralegal|paramedic|pastor|pharmacist|photographer|physician|physicist|physio|physiotherapist|pilot|plasterer|" +
        "plumber|police officer|policeman|policewoman|porter|postman|postwoman|priest|principal|producer|professor|" +
        "programmer|psychiatrist|psychologist|rabbi|radiographer|receptionist|recruiter|researcher|roofer|sailor|" +
        "salesman|saleswoman|salesperson|scientist|secretary|security guard|singer|social worker|care worker|" +
        "support worker|youth worker|factory worker|software engineer|soldier|solicitor|student|surgeon|surveyor|tailor|" +
        "teacher|teaching assistant|technician|therapist|trader|trainer|translator|tutor|vet|veterinarian|vicar|waiter|" +
        "waitress|web developer|welder|writer|zookeeper";

    private const string OrgAfterJob = @"(?:\s+(?:(?i:at|for|with)\s+" + Org + @"|(?i:in)\s+(?<org>" + KindOfWorkplace + ")))?";

    private const string Job = @"(?<job>(?:[a-z-]+\s+){0,2}?(?i:" + Occupations + @"))(?![\w'’-])";

    // Excludes months and weekdays, which look like places after "in" ("born in March").
    private const string NotCalendar = @"(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)";

    [GeneratedRegex(@"^(?i:the|a|an|my)\s+")]
    private static partial Regex ArticleStart();

    [GeneratedRegex(Me + @"(?:(?:'m|\s+am|'ve\s+been|\s+have\s+been)\s+" + Now + @"(?i:working)|(?:'ve|\s+have)\s+" + Now + @"(?i:worked)|\s+" + Now + @"(?i:work))\s+(?:(?i:at|for)\s+" + Org + @"|(?i:in)\s+(?<org>" + KindOfWorkplace + "))")]
    private static partial Regex WorksAt();

    [GeneratedRegex(Me + @"(?:'ve|\s+have)?\s+" + Now + @"(?:(?i:started)\s+(?i:at)\s+(?<org>" + NamedOrg + @")|(?i:started)\s+(?i:a\s+(?:new\s+)?job|work|working)\s+(?i:at|with|for)\s+" + Org +
        @"|(?i:got|landed|took)\s+(?i:a\s+|the\s+)?(?i:new\s+)?(?i:job|position|role)\s+(?i:at|with)\s+" + Org + @"|(?i:been|got|was)\s+(?i:hired)\s+(?i:at|by)\s+" + Org +
        @"|(?i:joined)\s+(?<org>" + NamedOrg + @")\s+(?i:as)\s+(?i:an?)\b)|\b(?i:my)\s+(?i:new\s+)?(?i:job|workplace)\s+(?i:is)\s+(?i:at|with)\s+" + Org)]
    private static partial Regex StartedAt();

    [GeneratedRegex(Me + @"(?:'ve|\s+have|'d|\s+had)?\s+" + Now + @"(?:(?<sure>(?i:resigned|retired)\s+(?i:from))\s+" + Org + @"|(?i:quit|left)\s+(?:(?<sure>(?i:my\s+(?:job|position|role)\s+(?:at|with)))\s+)?" + Org +
        @"|(?i:quit|left|lost)\s+(?i:my\s+(?:job|position|role))\b|(?:(?i:was|got|been)\s+)?(?i:fired|laid\s+off|made\s+redundant)\b(?!\s+(?i:up))(?:\s+(?<sure>(?i:from|by))\s+" + Org + @")?" +
        @"|(?i:was|got|been)\s+(?i:let\s+go)\b(?!\s+(?i:of))(?:\s+(?<sure>(?i:from|by))\s+" + Org + @")?)" +
        @"|" + Me + @"\s+(?<sure>(?i:no\s+longer|don't|do\s+not))\s+(?i:work)\s+(?i:at|for)\s+" + Org)]
    private static partial Regex LeftJob();

    [GeneratedRegex(Me + @"(?:(?:'m|\s+am)\s+" + Now + @"(?i:retired)\b|(?:'ve|\s+have)?\s+" + Now + @"(?i:retired)\b(?!\s+(?i:from)))")]
    private static partial Regex RetiredNow();

    [GeneratedRegex(Me + @"(?:'m|\s+am)\s+" + Now + @"(?i:unemployed|out\s+of\s+work|between\s+jobs|jobless)\b")]
    private static partial Regex OutOfWork();

    [GeneratedRegex(@"(?:" + Me + @"(?:'m|\s+am)\s+" + Now + @"(?i:an?)\s+|" + Me + @"(?:'ve|\s+have)?\s+" + Now + @"(?i:became|become|qualified\s+as|trained\s+as)\s+(?i:an?)\s+|" +
        @"\b(?i:my)\s+(?i:job|profession|occupation)\s+(?i:is)\s+(?:(?i:being)\s+)?(?:(?i:an?)\s+)?)" + Job + OrgAfterJob)]
    private static partial Regex Occupation();

    // "Work as" says it is a job, whatever the job: any one or two words.
    [GeneratedRegex(Me + @"(?:(?:'m|\s+am|'ve\s+been|\s+have\s+been)\s+" + Now + @"(?i:working)|(?:'ve|\s+have)\s+" + Now + @"(?i:worked)|\s+" + Now + @"(?i:work))\s+(?i:as)\s+(?i:an?)\s+" +
        @"(?<job>[a-z-]+(?:\s(?!(?:at|for|in|with|and|but|since|because|so)\b)[a-z-]+)?)\b" + OrgAfterJob)]
    private static partial Regex WorksAs();

    [GeneratedRegex(Me + @"(?:'m|\s+am)?\s+" + Now + @"(?i:study|studying)\s+(?:[a-z]+\s+){0,3}?(?i:at)\s+" + Org)]
    private static partial Regex StudiesAt();

    [GeneratedRegex(@"\b(?i:I|we)(?:'m|'re|\s+am|\s+are|'ve\s+been|\s+have\s+been)?\s+" + Now + @"(?:(?i:live|living)\s+in\s+(?:(?i:a|an|the|my|our)\s+(?:[a-z-]+\s+){0,3}?(?i:in)\s+)?|(?:'m|\s+am|'re|\s+are)?(?i:based)\s+in\s+)(?<place>" + NotCalendar + Place + ")")]
    private static partial Regex LivesIn();

    [GeneratedRegex(@"\b(?i:I|we)(?:'ve|\s+have)?\s+" + Now + @"(?i:moved|relocated)(?:\s+(?i:back|out|over|house))?\s+to\s+(?<place>" + NotCalendar + Place + ")")]
    private static partial Regex MovedTo();

    [GeneratedRegex(Me + @"(?:(?:'m|\s+am)\s+(?:(?i:originally)\s+)?(?i:from)|\s+(?:(?i:originally)\s+)?(?i:come\s+from)|\s+(?i:grew\s+up\s+in)|\s+(?i:was\s+born)(?:\s+(?i:and\s+raised))?\s+(?i:in))\s+(?:(?i:the)\s+)?(?<place>" + NotCalendar + Place + ")")]
    private static partial Regex ComesFrom();

    [GeneratedRegex(Me + @"(?:(?:'m|\s+am)\s+(?<age>\d{1,3})(?:\s+(?i:years?|yrs?)\s+(?i:old)|\s*(?i:y/?o)\b)|(?:'ve|\s+have)?\s+" + Now + @"(?i:turned)\s+(?<age>\d{1,3})(?=\s*(?:[.,!;]|$|(?i:years?|yesterday|today|last|this|on|in)\b)))")]
    private static partial Regex Age();
}
