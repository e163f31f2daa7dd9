using System.Globalization;
using System.Text;

namespace KMeansPS.Imaging.Provenance;

/// <summary>
/// The text forms of an <see cref="OutputMarker"/>. Version 2, written since the marker had to shrink (issue #15: it was
/// 174 of the bytes an output has over pngquant's on small images), is <c>2;TOOL;HASHSEED;SETTINGS</c>: HASHSEED is the
/// 16 hash bytes followed by the seed (zigzag LEB128) in URL-safe base64 without padding, and SETTINGS the settings text
/// with each common ",key=value" (and ",key=" alone) replaced by one character that settings never hold. About 47
/// characters instead of about 155; a marker that does not fit that shape (another hash, such a character in its
/// settings) is written as version 1, <c>v=1;tool=T;source=sha256:HEX;seed=N;settings=S</c>, which is still read.
/// Compressing the text (zTXt) does not pay at this size.
/// </summary>
internal static class OutputMarkerText
{
    private const string HashPrefix = "sha256:";
    private const int HashBytes = 16;

    // Longest first where one is a prefix of another, so ",algorithm=Auto" wins over ",algorithm=".
    private static readonly (char Code, string Text)[] Abbreviations =
    [
        ('!', ",format=Png"), ('#', ",format=Gif"), ('$', ",space=Rgb"), ('%', ",space=OkLab"),
        ('&', ",dither=None"), ('(', ",dither=FloydSteinberg"), (')', ",algorithm=Auto"), ('*', ",algorithm="),
        ('/', ",maxiter=300"), (':', ",maxiter="), ('<', ",tol=0.0001"), ('>', ",tol="), ('?', ",minpsnr="), ('@', ",strip"),
        ('[', ",compression=SmallestSize"), (']', ",compression=Fastest"), ('^', ",compression=NoCompression"),
    ];

    /// <summary>The marker as written: version 2 when it fits that shape, else version 1.</summary>
    public static string Format(OutputMarker marker) => Compact(marker) ?? Version1(marker);

    /// <summary>A version-1 or version-2 text back as a marker; null for anything else.</summary>
    public static OutputMarker? Parse(string text) => text.StartsWith("2;", StringComparison.Ordinal) ? ParseCompact(text) : ParseVersion1(text);

    /// <summary>Version 1, the form of markers written before version 2.</summary>
    internal static string Version1(OutputMarker marker) => string.Create(CultureInfo.InvariantCulture,
        $"v=1;tool={marker.Tool};source={marker.SourceHash};seed={marker.Seed};settings={marker.Settings}");

    private static string? Compact(OutputMarker marker)
    {
        byte[]? hash = HashValue(marker.SourceHash);
        if (hash is null || marker.Tool.Contains(';', StringComparison.Ordinal) || marker.Settings.Any(c => c == ';' || IsCode(c))) return null;
        var blob = new List<byte>(hash);
        ulong zigzag = (ulong)((marker.Seed << 1) ^ (marker.Seed >> 63));
        do
        {
            byte low = (byte)(zigzag & 0x7F);
            zigzag >>= 7;
            blob.Add(zigzag == 0 ? low : (byte)(low | 0x80));
        }
        while (zigzag != 0);
        return "2;" + marker.Tool + ";" + ToBase64Url([.. blob]) + ";" + Abbreviate(marker.Settings);
    }

    private static OutputMarker? ParseCompact(string text)
    {
        string[] fields = text.Split(';', 4);
        if (fields.Length != 4 || fields[3].Contains(';', StringComparison.Ordinal)) return null;
        byte[]? blob = FromBase64Url(fields[2]);
        if (blob is null || blob.Length <= HashBytes) return null;
        ulong zigzag = 0;
        int shift = 0, at = HashBytes;
        while (true)
        {
            if (at == blob.Length || shift > 63) return null;
            byte b = blob[at++];
            zigzag |= (ulong)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) break;
        }
        if (at != blob.Length) return null;
        long seed = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
        string hash = HashPrefix + Convert.ToHexString(blob, 0, HashBytes);
        return new OutputMarker(fields[1], hash, seed, Expand(fields[3]));
    }

    private static OutputMarker? ParseVersion1(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in text.Split(';'))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return null;
            if (!fields.TryAdd(part[..eq], part[(eq + 1)..])) return null;
        }
        if (!fields.TryGetValue("v", out string? v) || v != "1") return null;
        if (!fields.TryGetValue("tool", out string? tool) || !fields.TryGetValue("source", out string? source)
            || !fields.TryGetValue("seed", out string? seedText) || !fields.TryGetValue("settings", out string? settings)) return null;
        if (!long.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed)) return null;
        return new OutputMarker(tool, source, seed, settings);
    }

    /// <summary>The 16 bytes of a "sha256:" + 32 upper-case hex hash (the only form that round-trips), else null.</summary>
    private static byte[]? HashValue(string hash)
    {
        if (hash.Length != HashPrefix.Length + 2 * HashBytes || !hash.StartsWith(HashPrefix, StringComparison.Ordinal)) return null;
        string hex = hash[HashPrefix.Length..];
        return hex.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'F')) ? Convert.FromHexString(hex) : null;
    }

    private static bool IsCode(char c) => Array.Exists(Abbreviations, a => a.Code == c);

    private static string Abbreviate(string settings)
    {
        var text = new StringBuilder(settings.Length);
        for (int i = 0; i < settings.Length;)
        {
            (char Code, string Text) match = Array.Find(Abbreviations,
                a => string.CompareOrdinal(settings, i, a.Text, 0, a.Text.Length) == 0 && i + a.Text.Length <= settings.Length);
            if (match.Text is null)
            {
                text.Append(settings[i++]);
                continue;
            }
            text.Append(match.Code);
            i += match.Text.Length;
        }
        return text.ToString();
    }

    private static string Expand(string packed)
    {
        var text = new StringBuilder(packed.Length * 4);
        foreach (char c in packed)
        {
            int i = Array.FindIndex(Abbreviations, a => a.Code == c);
            if (i >= 0) text.Append(Abbreviations[i].Text);
            else text.Append(c);
        }
        return text.ToString();
    }

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>URL-safe base64 without padding, or null when it is not exactly that (so every text has one meaning).</summary>
    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length % 4 == 1 || !text.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')) return null;
        string padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4);
        byte[] bytes = Convert.FromBase64String(padded);
        return ToBase64Url(bytes) == text ? bytes : null;
    }
}
