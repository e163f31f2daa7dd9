using Xunit;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// The build runs this test executable once per ISA leg with DOTNET_* knobs and KMEANSPS_EXPECT_WIDTH
/// (512, 256, 128 or scalar). The probe fails unless the width in force is the one the leg expects, so
/// a knob the runtime ignores cannot let a leg pass while testing the wrong path.
/// </summary>
public class InstructionSetProbeTests
{
    [Fact]
    public void WidthInForceIsTheExpectedOne()
    {
        InstructionSet inForce = KMeans.BestInstructionSet;
        string? expected = Environment.GetEnvironmentVariable("KMEANSPS_EXPECT_WIDTH");
        string report = $"Instruction set in force: {inForce}; KMEANSPS_EXPECT_WIDTH={expected ?? "(unset)"}";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        TestContext.Current.SendDiagnosticMessage(report);
        // Outside the build's legs there is nothing to compare with: say so rather than pass.
        Assert.SkipWhen(string.IsNullOrEmpty(expected), "KMEANSPS_EXPECT_WIDTH is unset: run through build.ps1 test, which sets it per leg.");
        InstructionSet wanted = expected.Trim().ToLowerInvariant() switch
        {
            "512" => InstructionSet.Vector512,
            "256" => InstructionSet.Vector256,
            "128" => InstructionSet.Vector128,
            "scalar" => InstructionSet.Scalar,
            _ => throw new ArgumentException($"KMEANSPS_EXPECT_WIDTH must be 512, 256, 128 or scalar, not '{expected}'."),
        };
        Assert.True(wanted == inForce, $"This leg expects {wanted} but {inForce} is in force: the DOTNET_* knob was not honoured.");
    }

    [Fact]
    public void FitsRunAtTheWidthInForceUnlessCapped()
    {
        float[] data = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
        var free = KMeans.Fit(data, 1, default, new KMeansOptions { K = 2 }, TestContext.Current.CancellationToken);
        var capped = KMeans.Fit(data, 1, default, new KMeansOptions { K = 2, MaxInstructionSet = InstructionSet.Scalar }, TestContext.Current.CancellationToken);
        Assert.Equal(KMeans.BestInstructionSet, free.InstructionSet);
        Assert.Equal(InstructionSet.Scalar, capped.InstructionSet);
    }
}
