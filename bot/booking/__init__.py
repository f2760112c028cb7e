"""Consultation booking: reading what a patient types into the booking form, checking it, keeping
confirmed requests (`BookingStore`) and telling the clinic team (notifications). Plain Python:
the Rasa actions in `actions/booking.py` only call into this package."""
