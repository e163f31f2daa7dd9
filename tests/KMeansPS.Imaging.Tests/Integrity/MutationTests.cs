using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// Seeded random mutations of every corpus file (bit flips, overwritten bytes and size fields, insertions,
/// deletions, duplicated ranges, cuts): the scanner always returns a report (never throws, never fails inside),
/// gives a reason whenever it does not pass a file, and finishes; every loop is bounded by the file's length.
/// </summary>
public sealed class MutationTests
{
    private const int MutantsPerFile = 200;

    public static TheoryData<string> Names() =>
        new(IntegrityCorpus.Valid.Select(f => f.Name).Concat(QuirkCorpus.Files.Select(f => f.Name)));

    private static byte[] Bytes(string name) =>
        IntegrityCorpus.Valid.FirstOrDefault(f => f.Name == name)?.Bytes ?? QuirkCorpus.Files.Single(f => f.Name == name).Bytes;

    [Theory]
    [MemberData(nameof(Names))]
    public void MutantsGetAReportWithAReason(string name)
    {
        byte[] original = Bytes(name);
        var random = new Random(StableSeed(name));
        ScanTimeout.Run(() =>
        {
            for (int m = 0; m < MutantsPerFile; m++)
            {
                byte[] mutant = Mutate(original, random);
                IntegrityReport report = FileIntegrity.Check(mutant);
                Assert.False(report.ScannerFault, $"{name} mutant {m}: {report.Reason}");
                if (report.Verdict != IntegrityVerdict.Intact)
                    Assert.False(string.IsNullOrWhiteSpace(report.Reason), $"{name} mutant {m}: {report.Verdict} without a reason");
                Assert.True(report.Frames >= 0 && report.DecodedPixels >= 0 && report.Width >= 0 && report.Height >= 0, $"{name} mutant {m}: {report}");
            }
            return 0;
        }, TimeSpan.FromSeconds(60), $"scanning {MutantsPerFile} mutants of {name}");
    }

    /// <summary>One to three mutations of a copy of <paramref name="original"/>.</summary>
    internal static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int count = random.Next(1, 4);
        for (int i = 0; i < count && bytes.Count > 0; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0: // flip a bit
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // a random byte
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2: // 0x00 or 0xFF
                    bytes[at] = random.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                    break;
                case 3: // a size field gone wrong, in either byte order
                    uint[] values = [0, 1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, (uint)original.Length, (uint)original.Length * 2];
                    uint value = values[random.Next(values.Length)];
                    int width = random.Next(2) == 0 ? 2 : 4;
                    bool big = random.Next(2) == 0;
                    for (int k = 0; k < width && at + k < bytes.Count; k++)
                        bytes[at + k] = (byte)(value >> (8 * (big ? width - 1 - k : k)));
                    break;
                case 4: // insert bytes
                    var inserted = new byte[random.Next(1, 17)];
                    random.NextBytes(inserted);
                    bytes.InsertRange(at, inserted);
                    break;
                case 5: // delete a range
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 65), bytes.Count - at));
                    break;
                case 6: // duplicate a range
                    int length = Math.Min(random.Next(1, 257), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default: // cut
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>A seed from the name that is the same in every process (string hashes are not).</summary>
    internal static int StableSeed(string name)
    {
        int seed = 17;
        foreach (char c in name) seed = unchecked(seed * 31 + c);
        return seed;
    }
}
