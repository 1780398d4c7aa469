"""The default model's data recipe: TTS + real 8 kHz speech, real and synthetic noise, rooms."""
