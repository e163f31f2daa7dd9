# The module's own assemblies ship precompiled (ReadyToRun for .NET 10 on linux-x64, IL kept): build.ps1 and
# build/ReadyToRun/ReadyToRun.csproj. The native code must be what the runtime uses where it can, and change nothing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-KMeansPSModulePath
    $moduleDir = Split-Path $script:ModulePath
    $script:Assemblies = @(
        Join-Path $moduleDir 'KMeansPS.dll'
        foreach ($name in 'Engine', 'Imaging', 'Plotting') { Join-Path $moduleDir "Dependencies/KMeansPS.$name.dll" }
    )

    # Compresses a few seeded inputs (PNG with and without alpha, JPEG; Rgb, OkLab, dithered, GIF) in a fresh pwsh
    # with the given environment, and returns the output files' hashes in order and the JIT's list of methods.
    function Invoke-Compressions([string] $Folder, [hashtable] $Environment) {
        $inputs = Join-Path $TestDrive 'inputs'
        if (-not (Test-Path $inputs)) {
            New-Item -ItemType Directory -Path $inputs | Out-Null
            New-TestImageSet -Path $inputs
            $null = New-NoisePng -Path (Join-Path $inputs 'noise.png') -Width 160 -Height 120 -Seed 3
        }
        New-Item -ItemType Directory -Force -Path $Folder | Out-Null
        $jitLog = Join-Path $Folder 'jit.txt'
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($script:ModulePath)'
`$in = '$inputs'; `$out = '$Folder'
Compress-ImageKMeans -LiteralPath "`$in/photo.png", "`$in/logo.png", "`$in/sample.jpg", "`$in/noise.png" -K 16 -Seed 1 -Destination `$out -Suffix '-rgb' | Out-Null
Compress-ImageKMeans -LiteralPath "`$in/logo.png", "`$in/noise.png" -K 64 -Seed 2 -ColorSpace OkLab -Destination `$out -Suffix '-oklab' | Out-Null
Compress-ImageKMeans -LiteralPath "`$in/sample.jpg" -K 32 -Seed 3 -Dither FloydSteinberg -Destination `$out -Suffix '-dither' | Out-Null
Compress-ImageKMeans -LiteralPath "`$in/logo.png" -K 8 -Seed 4 -Format Gif -Destination `$out -Suffix '-gif' | Out-Null
"@
        $saved = @{}
        # The JIT's list goes to the child's standard output (the script writes nothing else there), not to a file
        # by DOTNET_JitStdOutFile: with that knob the child crashed now and then (free(): invalid pointer, 2-3 of 15
        # runs here, with and without the precompiled code), the runtime's file output racing its parallel JIT.
        $Environment['DOTNET_JitDisasmSummary'] = '1'
        foreach ($key in $Environment.Keys) {
            $saved[$key] = [Environment]::GetEnvironmentVariable($key)
            [Environment]::SetEnvironmentVariable($key, $Environment[$key])
        }
        try {
            & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script > $jitLog
            $LASTEXITCODE | Should -Be 0
        }
        finally {
            foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
        }
        $files = @(Get-ChildItem $Folder -File | Where-Object Name -ne 'jit.txt' | Sort-Object Name)
        [pscustomobject]@{
            Hashes = @($files | ForEach-Object { '{0} {1}' -f $_.Name, (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash })
            OwnMethodsJitted = @(Get-Content -LiteralPath $jitLog | Where-Object { $_ -match 'JIT compiled KMeansPS\.' }).Count
        }
    }
}

Describe 'ReadyToRun' {
    It 'ships each of our assemblies as a ReadyToRun image that keeps its IL and metadata' {
        foreach ($path in $script:Assemblies) {
            $stream = [IO.File]::OpenRead($path)
            try {
                $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
                $pe.HasMetadata | Should -BeTrue -Because $path
                $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size | Should -BeGreaterThan 0 -Because "$path should be ReadyToRun"
                # IL kept: a runtime that cannot use the native code (another OS, CPU or major version) compiles it.
                $metadata = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                $withBody = @($metadata.MethodDefinitions | ForEach-Object { $metadata.GetMethodDefinition($_) } | Where-Object RelativeVirtualAddress -ne 0)
                $withBody.Count | Should -BeGreaterThan 10 -Because $path
                [Reflection.Metadata.PEReaderExtensions]::GetMethodBody($pe, $withBody[0].RelativeVirtualAddress).Size | Should -BeGreaterThan 0
            }
            finally {
                $stream.Dispose()
            }
        }
    }

    It 'writes the same bytes with the precompiled code as with the JIT alone, and the runtime uses that code' {
        $precompiled = Invoke-Compressions (Join-Path $TestDrive 'precompiled') @{}
        # DOTNET_ReadyToRun=0: every method is compiled from IL, as on a runtime that cannot use the images.
        $jitted = Invoke-Compressions (Join-Path $TestDrive 'jitted') @{ DOTNET_ReadyToRun = '0' }
        $precompiled.Hashes.Count | Should -Be 8
        $precompiled.Hashes | Should -Be $jitted.Hashes
        $jitted.OwnMethodsJitted | Should -BeGreaterThan 500
        if ([Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier -eq 'linux-x64' -and [Environment]::Version.Major -eq 10) {
            # Left to the JIT here: methods using wider vectors than crossgen2's baseline, AggressiveOptimization
            # kernels, and generic instantiations over other assemblies' types.
            $precompiled.OwnMethodsJitted | Should -BeLessThan ($jitted.OwnMethodsJitted / 3)
        }
    }
}
