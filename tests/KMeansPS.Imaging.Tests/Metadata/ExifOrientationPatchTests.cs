using System.Buffers.Binary;
using KMeansPS.Imaging.Jpeg;
using KMeansPS.Imaging.Metadata;

namespace KMeansPS.Imaging.Tests.Metadata;

public class ExifOrientationPatchTests
{
    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 6)]
    [InlineData(true, 8)]
    [InlineData(false, 3)]
    public void Orientation_becomes_1_in_either_byte_order_and_nothing_else_changes(bool little, int orientation)
    {
        byte[] exif = MetadataSamples.Exif(little, (ushort)orientation, (300, 300), 2);
        Assert.Equal(orientation, ExifReader.ReadOrientation(exif));
        byte[]? patched = ExifOrientationPatch.Upright(exif);
        Assert.NotNull(patched);
        Assert.Equal(1, ExifReader.ReadOrientation(patched));
        int[] changed = Enumerable.Range(0, exif.Length).Where(i => exif[i] != patched[i]).ToArray();
        // Only the low byte of the Orientation entry's value (the second entry): first in II order, second in MM.
        Assert.Equal([8 + 2 + 12 + 8 + (little ? 0 : 1)], changed);
        Assert.Equal(orientation, ExifReader.ReadOrientation(exif)); // the source is not changed
    }

    [Fact]
    public void EXIF_without_an_orientation_is_kept_as_it_is()
    {
        byte[] exif = MetadataSamples.Exif(false, null, (72, 72), 2);
        Assert.Equal(exif, ExifOrientationPatch.Upright(exif));
    }

    [Fact]
    public void An_Orientation_stored_as_a_LONG_is_read_and_patched_as_one()
    {
        // EXIF makes Orientation a SHORT; some writers store a LONG, which PIL, ImageMagick and exiftool read.
        foreach (bool little in new[] { true, false })
        {
            byte[] exif = MetadataSamples.Exif(little, 6);
            int entry = 8 + 2 + 12; // the second entry is Orientation
            if (little)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(exif.AsSpan(entry + 2), 4);
                BinaryPrimitives.WriteUInt32LittleEndian(exif.AsSpan(entry + 8), 6);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(exif.AsSpan(entry + 2), 4);
                BinaryPrimitives.WriteUInt32BigEndian(exif.AsSpan(entry + 8), 6);
            }
            Assert.Equal(6, ExifReader.ReadOrientation(exif));
            byte[] patched = ExifOrientationPatch.Upright(exif)!;
            Assert.Equal(1, ExifReader.ReadOrientation(patched));
            Assert.Equal(exif.Length, patched.Length);
        }
    }

    [Fact]
    public void EXIF_that_cannot_be_patched_safely_is_dropped()
    {
        byte[] exif = MetadataSamples.Exif(true, 6);
        Assert.Null(ExifOrientationPatch.Upright(exif.AsSpan(0, 7))); // shorter than a header
        byte[] badOrder = (byte[])exif.Clone();
        badOrder[0] = (byte)'X';
        Assert.Null(ExifOrientationPatch.Upright(badOrder));
        byte[] farIfd = (byte[])exif.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(farIfd.AsSpan(4), 100_000);
        Assert.Null(ExifOrientationPatch.Upright(farIfd));
        byte[] manyEntries = (byte[])exif.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(manyEntries.AsSpan(8), 5000);
        Assert.Null(ExifOrientationPatch.Upright(manyEntries));
        byte[] rationalType = (byte[])exif.Clone();
        int entry = 8 + 2 + 12; // the second entry is Orientation
        Assert.Equal(0x0112, BinaryPrimitives.ReadUInt16LittleEndian(rationalType.AsSpan(entry)));
        BinaryPrimitives.WriteUInt16LittleEndian(rationalType.AsSpan(entry + 2), 5);
        Assert.Null(ExifOrientationPatch.Upright(rationalType));
        Assert.Null(ExifOrientationPatch.Upright(exif.AsSpan(0, 20))); // the directory cut short
    }
}
