"""The screens a bijeenkomst has (regie, phone, beamer, remote) and what each is sent: one module per screen."""
