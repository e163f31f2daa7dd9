using System.Buffers.Binary;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Jpeg;
using KMeansPS.Imaging.Tests.Png;

namespace KMeansPS.Imaging.Tests.Metadata;

/// <summary>
/// EXIF is carried only when its whole TIFF structure is readable (<see cref="ExifStructure"/>): every directory reached
/// once, every entry's values inside the data. Structures are built here directory by directory, values after the
/// directories, so every byte is referenced and every cut loses something.
/// </summary>
public class ExifStructureTests
{
    private const ushort Long = 4;

    /// <summary>An entry: a value of its own, or (PointsTo) the offset of another directory of the structure.</summary>
    private sealed record Entry(ushort Tag, ushort Type, uint Count, byte[]? Value = null, int? PointsTo = null);

    private sealed record Directory(Entry[] Entries, int? Next = null);

    private static byte[] Build(bool little, params Directory[] directories)
    {
        var at = new int[directories.Length];
        int offset = 8;
        for (int d = 0; d < directories.Length; d++)
        {
            at[d] = offset;
            offset += 2 + 12 * directories[d].Entries.Length + 4;
        }
        var data = new List<byte>(new byte[offset]);
        var head = new byte[offset];
        (little ? "II"u8 : "MM"u8).CopyTo(head);
        Put16(head, 2, 42, little);
        Put32(head, 4, (uint)at[0], little);
        for (int d = 0; d < directories.Length; d++)
        {
            Directory dir = directories[d];
            Put16(head, at[d], (ushort)dir.Entries.Length, little);
            for (int i = 0; i < dir.Entries.Length; i++)
            {
                int e = at[d] + 2 + 12 * i;
                Entry entry = dir.Entries[i];
                Put16(head, e, entry.Tag, little);
                Put16(head, e + 2, entry.Type, little);
                Put32(head, e + 4, entry.Count, little);
                if (entry.PointsTo is int target) Put32(head, e + 8, (uint)at[target], little);
                else if (entry.Value!.Length <= 4) entry.Value.CopyTo(head, e + 8);
                else
                {
                    Put32(head, e + 8, (uint)data.Count, little);
                    data.AddRange(entry.Value);
                }
            }
            Put32(head, at[d] + 2 + 12 * dir.Entries.Length, dir.Next is int next ? (uint)at[next] : 0, little);
        }
        byte[] result = [.. data];
        head.CopyTo(result, 0);
        return result;
    }

    private static Entry Pointer(ushort tag, int target) => new(tag, Long, 1, PointsTo: target);

    private static Entry Ascii(ushort tag, string text) => new(tag, 2, (uint)text.Length + 1, [.. System.Text.Encoding.ASCII.GetBytes(text), 0]);

    /// <summary>A camera's layout: IFD0 with the EXIF and GPS pointers and IFD1 after it; interoperability under EXIF.</summary>
    private static byte[] CameraLike(bool little, Func<int, int>? redirect = null, int? ifd1Next = null)
    {
        redirect ??= d => d;
        return Build(little,
            new Directory([Ascii(0x010F, "KMeansPS camera"), new Entry(0x0112, 3, 1, little ? [1, 0, 0, 0] : [0, 1, 0, 0]), Pointer(0x8769, redirect(1)), Pointer(0x8825, redirect(2))], Next: 3),
            new Directory([new Entry(0x829A, 5, 1, [0, 0, 0, 1, 0, 0, 0, 100]), Ascii(0x9003, "2026:12:07 00:00:00"), Pointer(0xA005, redirect(4))]),
            new Directory([new Entry(0x0000, 1, 4, [2, 3, 0, 0]), new Entry(0x0002, 5, 3, new byte[24])]),
            new Directory([new Entry(0x0201, Long, 1, new byte[4]), new Entry(0x0202, Long, 1, new byte[4]), Ascii(0x010E, "the thumbnail's directory")], Next: ifd1Next),
            new Directory([Ascii(0x0001, "R98")]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_whole_structure_passes_and_every_cut_of_it_does_not(bool little)
    {
        byte[] exif = CameraLike(little);
        Assert.Null(ExifStructure.Damage(exif));
        Assert.Null(ExifStructure.Damage(MetadataSamples.Exif(little, 6, (300, 300), 2)));
        for (int length = 0; length < exif.Length; length++)
            Assert.NotNull(ExifStructure.Damage(exif.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Directories_that_loop_or_meet_are_damage(bool little)
    {
        Assert.Contains("loop", ExifStructure.Damage(CameraLike(little, ifd1Next: 0)), StringComparison.Ordinal);         // IFD1 -> IFD0
        Assert.Contains("loop", ExifStructure.Damage(CameraLike(little, ifd1Next: 3)), StringComparison.Ordinal);         // IFD1 -> itself
        Assert.Contains("loop", ExifStructure.Damage(CameraLike(little, d => d == 1 ? 0 : d)), StringComparison.Ordinal); // EXIF -> IFD0
        Assert.Contains("loop", ExifStructure.Damage(CameraLike(little, d => d == 4 ? 1 : d)), StringComparison.Ordinal); // interop -> EXIF
        Assert.Contains("loop", ExifStructure.Damage(CameraLike(little, d => d == 2 ? 1 : d)), StringComparison.Ordinal); // GPS = EXIF
    }

    [Fact]
    public void Over_counted_entries_and_directories_outside_the_data_are_damage()
    {
        byte[] exif = CameraLike(true);
        int first = 8 + 2; // IFD0's first entry: Make
        byte[] overCounted = [.. exif];
        BinaryPrimitives.WriteUInt32LittleEndian(overCounted.AsSpan(first + 4), uint.MaxValue);
        Assert.Contains("run past the data", ExifStructure.Damage(overCounted), StringComparison.Ordinal);
        byte[] tooManyEntries = [.. exif];
        BinaryPrimitives.WriteUInt16LittleEndian(tooManyEntries.AsSpan(8), 5000);
        Assert.Contains("entries run past", ExifStructure.Damage(tooManyEntries), StringComparison.Ordinal);
        byte[] pointerOut = [.. exif];
        BinaryPrimitives.WriteUInt32LittleEndian(pointerOut.AsSpan(first + 2 * 12 + 8), (uint)exif.Length + 100);
        Assert.Contains("the EXIF directory lies outside", ExifStructure.Damage(pointerOut), StringComparison.Ordinal);
        Assert.Equal("it has no TIFF header", ExifStructure.Damage("XX*\0\0\0\0\0"u8));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Readers_ignore_the_next_field_of_pointed_to_directories_and_so_does_the_walk(bool little)
    {
        // The EXIF directory's next-directory field pointing past the data, at itself, or at IFD0: exiftool reads on.
        byte[] exif = CameraLike(little);
        int exifDirectory = 8 + 2 + 12 * 4 + 4, next = exifDirectory + 2 + 12 * 3;
        foreach (uint garbage in new uint[] { uint.MaxValue, (uint)exif.Length + 40, (uint)exifDirectory, 8 })
        {
            byte[] changed = [.. exif];
            Put32(changed, next, garbage, little);
            Assert.Null(ExifStructure.Damage(changed));
        }
    }

    [Fact]
    public void A_thumbnail_past_the_data_an_undefined_type_and_values_in_the_header_are_damage()
    {
        bool little = true;
        byte[] Ifd1(Entry[] thumbnail) => Build(little, new Directory([Ascii(0x010F, "KMeansPS camera")], Next: 1), new Directory(thumbnail));
        static byte[] Bytes(uint value) => BitConverter.GetBytes(value);
        byte[] whole = Ifd1([new Entry(0x0201, Long, 1, Bytes(8)), new Entry(0x0202, Long, 1, Bytes(20))]);
        Assert.Null(ExifStructure.Damage(whole));
        Assert.Contains("thumbnail runs past", ExifStructure.Damage(Ifd1([new Entry(0x0201, Long, 1, Bytes(8)), new Entry(0x0202, Long, 1, Bytes(5000))])), StringComparison.Ordinal);
        Assert.Contains("strip 1 runs past", ExifStructure.Damage(Ifd1([new Entry(0x0111, Long, 2, [.. Bytes(8), .. Bytes(4000)]),
            new Entry(0x0117, Long, 2, [.. Bytes(10), .. Bytes(10)])])), StringComparison.Ordinal);
        // The same tags in IFD0 (a TIFF's own strips, which EXIF copied from a file may still name) are not a thumbnail.
        Assert.Null(ExifStructure.Damage(Build(little, new Directory([new Entry(0x0111, Long, 1, Bytes(90000)), new Entry(0x0117, Long, 1, Bytes(5))]))));

        byte[] undefined = CameraLike(little);
        Put16(undefined, 8 + 2 + 2, 99, little); // IFD0's Make: type 99
        Assert.Contains("type 99, which TIFF does not define", ExifStructure.Damage(undefined), StringComparison.Ordinal);
        byte[] header = CameraLike(little);
        Put32(header, 8 + 2 + 8, 2, little); // Make's text at offset 2, inside the header
        Assert.Contains("points into the header", ExifStructure.Damage(header), StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_of_directories_is_walked_up_to_the_limit()
    {
        Directory[] Chain(int n) => Enumerable.Range(0, n)
            .Select(d => new Directory([Ascii(0x010E, $"directory {d}")], Next: d + 1 < n ? d + 1 : null)).ToArray();
        Assert.Null(ExifStructure.Damage(Build(true, Chain(ExifStructure.MaxDirectories))));
        Assert.Contains("more than", ExifStructure.Damage(Build(true, Chain(ExifStructure.MaxDirectories + 1))), StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_structures_never_throw_and_changed_values_alone_are_never_damage()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 4000; trial++)
        {
            bool little = random.Next(2) == 0;
            byte[] exif = CameraLike(little);
            int valuesFrom = ValuesStart();
            bool valuesOnly = random.Next(2) == 0;
            int changes = random.Next(1, 5);
            for (int c = 0; c < changes; c++)
            {
                int at = valuesOnly ? random.Next(valuesFrom, exif.Length) : random.Next(exif.Length);
                exif[at] = (byte)random.Next(256);
            }
            string? damage = ExifStructure.Damage(exif);
            if (valuesOnly) Assert.Null(damage);
            else if (damage is null) Assert.NotNull(ExifIfd0.TryOpen(exif));
        }
    }

    // The directories of CameraLike end where its first value outside an entry starts: after five directories.
    private static int ValuesStart()
    {
        int[] entries = [4, 3, 2, 3, 1];
        return 8 + entries.Sum(n => 2 + 12 * n + 4);
    }

    private static (QuantizeResult Result, List<PngChunk> Chunks) Compress(byte[] source, bool strip = false)
    {
        using var folder = new TempFolder();
        string input = folder.File("source"), output = folder.File("out.png");
        File.WriteAllBytes(input, source);
        QuantizeResult result = ImageQuantizer.Quantize(input, output, new QuantizeOptions { K = 8, Seed = 1, Strip = strip },
            cancellationToken: TestContext.Current.CancellationToken);
        return (result, PngChunk.Parse(File.ReadAllBytes(output)));
    }

    public static TheoryData<string> Containers => ["png", "jpeg"];

    [Theory]
    [MemberData(nameof(Containers))]
    public void Damaged_EXIF_is_dropped_with_a_warning_and_whole_EXIF_is_carried(string container)
    {
        byte[] Source(byte[] exif) => container == "png"
            ? MetadataSamples.Png(24, 16, [], after: [PngFiles.Chunk("eXIf", exif)])
            : JpegMetadataCarryTests.Jpeg(16, 16, JpegSamples.MakeSegment(0xE1, [.. "Exif\0\0"u8, .. exif]));

        (QuantizeResult whole, List<PngChunk> wholeChunks) = Compress(Source(CameraLike(false)));
        Assert.Null(whole.Warning);
        Assert.Equal(CameraLike(false), wholeChunks.Single(c => c.Type == "eXIf").Data);

        (QuantizeResult looped, List<PngChunk> loopedChunks) = Compress(Source(CameraLike(false, ifd1Next: 0)));
        Assert.DoesNotContain(loopedChunks, c => c.Type == "eXIf");
        Assert.Contains("EXIF data was dropped", looped.Warning, StringComparison.Ordinal);
        Assert.Contains("IFD2 is a directory reached before (a loop)", looped.Warning, StringComparison.Ordinal);

        // -Strip drops EXIF anyway: nothing to warn about.
        Assert.Null(Compress(Source(CameraLike(false, ifd1Next: 0)), strip: true).Result.Warning);

        // Damage in IFD0 itself, or a header alone, is said as well.
        byte[] ifd0Outside = CameraLike(false);
        Put32(ifd0Outside, 4, 90000, little: false);
        Assert.Contains("IFD0 lies outside the data", Compress(Source(ifd0Outside)).Result.Warning, StringComparison.Ordinal);
        Assert.Contains("EXIF data was dropped", Compress(Source("MM\0*"u8.ToArray())).Result.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_eXIf_chunk_never_stands_in_for_a_damaged_first()
    {
        byte[] damaged = CameraLike(true);
        Put32(damaged, 4, 90000, little: true);
        (QuantizeResult result, List<PngChunk> chunks) = Compress(MetadataSamples.Png(24, 16, [], after: [PngFiles.Chunk("eXIf", damaged), PngFiles.Chunk("eXIf", CameraLike(true))]));
        Assert.DoesNotContain(chunks, c => c.Type == "eXIf");
        Assert.Contains("IFD0 lies outside the data", result.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void EXIF_whose_orientation_cannot_be_set_upright_is_dropped_with_a_word()
    {
        // Orientation as one BYTE: a JPEG's pixels are turned by it, so the EXIF cannot say they are not.
        byte[] exif = Build(false, new Directory([Ascii(0x010F, "KMeansPS camera"), new Entry(0x0112, 1, 1, [6, 0, 0, 0])]));
        Assert.Null(ExifStructure.Damage(exif));
        (QuantizeResult result, List<PngChunk> chunks) = Compress(JpegMetadataCarryTests.Jpeg(16, 16, JpegSamples.MakeSegment(0xE1, [.. "Exif\0\0"u8, .. exif])));
        Assert.DoesNotContain(chunks, c => c.Type == "eXIf");
        Assert.Contains("Orientation entry is not one SHORT or LONG value", result.Warning, StringComparison.Ordinal);
    }

    private static void Put16(byte[] data, int at, ushort value, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), value);
    }

    private static void Put32(byte[] data, int at, uint value, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), value);
    }
}
